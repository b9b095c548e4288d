using Kontakt.Core.Storage.Embedded;

namespace Kontakt.Tests.Storage;

public sealed class SharedBuffersDefaultTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Theory]
    [InlineData(24 * GiB, "6144MB")]
    [InlineData(8 * GiB, "2048MB")]
    [InlineData(1 * GiB, "256MB")]
    [InlineData(GiB / 4, "128MB")]
    [InlineData(64 * GiB, "8192MB")]
    public void The_embedded_cluster_takes_a_quarter_of_the_memory_between_128_MB_and_8_GB(long availableBytes, string expected)
    {
        Assert.Equal(expected, EmbeddedPostgresOptions.DefaultSharedBuffers(availableBytes));
    }

    [Fact]
    public void Unknown_memory_falls_back_to_512_MB()
    {
        Assert.Equal("512MB", EmbeddedPostgresOptions.DefaultSharedBuffers(0));
    }
}
