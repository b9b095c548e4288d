using Kontakt.LoadTest.Mllp;

namespace Kontakt.Tests.LoadTest;

public sealed class MllpLoadOptionsTests
{
    [Fact]
    public void Defaults_are_8_connections_to_the_default_port_in_the_closed_model()
    {
        var options = MllpLoadOptions.Parse([], out var error);
        Assert.Null(error);
        Assert.Equal(new MllpLoadOptions("127.0.0.1", 2575, 8, null, 20, 3), options);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = MllpLoadOptions.Parse(["--host", "10.0.0.1", "--port", "2600", "--connections", "4", "--rate", "1000", "--seconds", "5", "--warmup", "0"], out _);
        Assert.Equal(new MllpLoadOptions("10.0.0.1", 2600, 4, 1000, 5, 0), options);
    }

    [Theory]
    [InlineData("--rate", "fast")]
    [InlineData("--connections", "0")]
    [InlineData("--bogus", "1")]
    [InlineData("--port")]
    public void A_bad_command_line_is_an_error(params string[] args)
    {
        Assert.Null(MllpLoadOptions.Parse(args, out var error));
        Assert.NotNull(error);
    }
}
