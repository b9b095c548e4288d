using System.Net;
using System.Net.Sockets;
using Kontakt.Core.Storage.Embedded;

namespace Kontakt.Tests.Support;

/// <summary>Settings for an embedded cluster of a test's own, in a fresh temp directory, and its removal.</summary>
public static class ThrowawayCluster
{
    public static EmbeddedPostgresOptions NewOptions() => new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), $"kontakt-embedded-{Guid.NewGuid():N}"),
        Port = FreePort(),
        Durable = false,
        SharedBuffers = "32MB",
    };

    public static void Remove(EmbeddedPostgresOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            Directory.Delete(options.DataDirectory!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Waits until the cluster's postmaster has gone (its pid file removed); false after 30 s.</summary>
    public static async Task<bool> WaitUntilStoppedAsync(PostgresCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(Path.Combine(cluster.DataDirectory, "postmaster.pid")))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
