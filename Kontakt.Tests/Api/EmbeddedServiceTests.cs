using System.Globalization;
using System.Net;
using Kontakt.Core.Storage;
using Kontakt.Core.Storage.Embedded;
using Kontakt.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kontakt.Tests.Api;

/// <summary>The service with no connection string configured: its own embedded cluster, worked as the runtime role.</summary>
public sealed class EmbeddedServiceTests
{
    [Fact]
    public async Task With_no_connection_string_every_service_session_works_as_the_runtime_role_and_the_cluster_stops_with_the_service()
    {
        var options = ThrowawayCluster.NewOptions();
        var cluster = new PostgresCluster(options, NullLogger.Instance);
        try
        {
            await using (var api = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
            {
                host.UseEnvironment("Testing");
                host.UseSetting("Kontakt:Embedded:DataDirectory", options.DataDirectory);
                host.UseSetting("Kontakt:Embedded:Port", options.Port.ToString(CultureInfo.InvariantCulture));
                host.UseSetting("Kontakt:Embedded:Durable", "false");
                host.UseSetting("Kontakt:Embedded:SharedBuffers", options.SharedBuffers);
                host.UseSetting("Kontakt:Hl7:MllpPort", "0");
            }))
            {
                using var client = api.CreateClient();
                await WaitUntilReadyAsync(client);
                Assert.Equal([DatabaseRoles.EmbeddedRuntimeRole], await ServiceLoginsAsync(cluster));
            }
            Assert.True(await ThrowawayCluster.WaitUntilStoppedAsync(cluster), "The service left its embedded cluster running.");
        }
        finally
        {
            ThrowawayCluster.Remove(options);
        }
    }

    private static Task WaitUntilReadyAsync(HttpClient client) =>
        Eventually.TrueAsync(async () =>
        {
            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromMinutes(2), "The service never became ready.");

    // The sessions on the service's database, once the owner's migration sessions have ended.
    private static async Task<string[]> ServiceLoginsAsync(PostgresCluster cluster)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false }.ConnectionString;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var connection = new NpgsqlConnection(unpooled);
            await connection.OpenAsync();
            await using var logins = new NpgsqlCommand(
                "SELECT coalesce(array_agg(DISTINCT usename::text), '{}') FROM pg_stat_activity WHERE datname = 'kontakt' AND backend_type = 'client backend'",
                connection);
            var found = (string[])(await logins.ExecuteScalarAsync())!;
            if (found.SequenceEqual([DatabaseRoles.EmbeddedRuntimeRole]) || DateTime.UtcNow > deadline)
            {
                return found;
            }
            await Task.Delay(50);
        }
    }
}
