using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kontakt.Tests.Support;
using Microsoft.Extensions.Options;

namespace Kontakt.Tests.Hl7;

/// <summary>The listener's settings are checked when the service starts.</summary>
public sealed class Hl7OptionsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("Kontakt:Hl7:MllpPort", "70000", "MllpPort")]
    [InlineData("Kontakt:Hl7:BindAddress", "localhost.example", "BindAddress")]
    [InlineData("Kontakt:Hl7:IdleTimeout", "00:00:00", "IdleTimeout")]
    [InlineData("Kontakt:Hl7:MaxMessageBytes", "10", "MaxMessageBytes")]
    [InlineData("Kontakt:Hl7:MaxConnections", "0", "MaxConnections")]
    public void An_invalid_listener_setting_stops_the_service_at_start(string key, string value, string member)
    {
        using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        // The whole exception in the message: CI once saw an ObjectDisposedException here instead, without its stack.
        var validation = Unwrap(error) as OptionsValidationException;
        Assert.True(validation is not null, $"expected the settings' validation failure, got: {error}");
        Assert.Contains(validation.Failures, failure => failure.Contains(member, StringComparison.Ordinal));
    }

    [Fact]
    public void A_taken_mllp_port_stops_the_service_at_start_naming_the_setting_that_moves_it()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Hl7:BindAddress"] = "127.0.0.1",
            ["Kontakt:Hl7:MllpPort"] = port.ToString(CultureInfo.InvariantCulture),
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var refused = Unwrap(error) as InvalidOperationException;
        Assert.True(refused is not null, $"expected the listener's refusal, got: {error}");
        Assert.Contains($"127.0.0.1:{port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Kontakt:Hl7:MllpPort", refused.Message, StringComparison.Ordinal);
        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(refused.InnerException).SocketErrorCode);
    }

    private static Exception Unwrap(Exception error) => error switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => error,
    };
}
