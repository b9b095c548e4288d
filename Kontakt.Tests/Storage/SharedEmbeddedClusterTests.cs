using Kontakt.Core.Storage.Embedded;
using Kontakt.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kontakt.Tests.Storage;

/// <summary>Two Kontakt processes on one embedded cluster, played by two cluster objects with session names of their own.</summary>
public sealed class SharedEmbeddedClusterTests
{
    [Fact]
    public async Task Two_first_starts_share_one_cluster_and_the_last_to_stop_stops_it()
    {
        var options = ThrowawayCluster.NewOptions();
        var first = new PostgresCluster(options, NullLogger.Instance, "kontakt:test-first");
        var second = new PostgresCluster(options, NullLogger.Instance, "kontakt:test-second");
        try
        {
            // Neither finds a cluster: without the init lock both would run initdb into one directory.
            await Task.WhenAll(first.StartAsync(CancellationToken.None), second.StartAsync(CancellationToken.None));
            Assert.True(await AnswersAsync(second));

            await first.StopAsync(CancellationToken.None);
            Assert.True(await AnswersAsync(second), "The first process to stop stopped the cluster under the second.");
            // A process that has gone leaves no session behind; the server needs a moment to end the first's.
            await WaitUntilNoSessionsOfAsync(second, first.ApplicationName);

            await second.StopAsync(CancellationToken.None);
            Assert.True(await ThrowawayCluster.WaitUntilStoppedAsync(second), "The last process to stop left the cluster running.");
        }
        finally
        {
            await first.StopAsync(CancellationToken.None);
            await second.StopAsync(CancellationToken.None);
            await StopByHandAsync(options);
            ThrowawayCluster.Remove(options);
        }
    }

    [Fact]
    public async Task A_start_after_an_initialization_killed_half_way_makes_a_whole_cluster()
    {
        var options = ThrowawayCluster.NewOptions();
        var root = options.DataDirectory!;
        // What a process killed during initdb leaves: this version's work directory, or an older version's half-made pgdata.
        Directory.CreateDirectory(Path.Combine(root, "pgdata.initializing-killed"));
        Directory.CreateDirectory(Path.Combine(root, "pgdata"));
        await File.WriteAllTextAsync(Path.Combine(root, "pgdata", "PG_VERSION"), "15\n");
        var cluster = new PostgresCluster(options, NullLogger.Instance, "kontakt:test-after-kill");
        try
        {
            await cluster.StartAsync(CancellationToken.None);

            Assert.True(await AnswersAsync(cluster));
            Assert.False(Directory.Exists(Path.Combine(root, "pgdata.initializing-killed")), "The killed initialization's directory was left behind.");
            Assert.Single(Directory.GetDirectories(root, "pgdata.interrupted-*"));
        }
        finally
        {
            await cluster.StopAsync(CancellationToken.None);
            ThrowawayCluster.Remove(options);
        }
    }

    [Fact]
    public async Task A_cluster_started_by_another_hand_is_never_stopped()
    {
        var options = ThrowawayCluster.NewOptions();
        var kontakt = new PostgresCluster(options, NullLogger.Instance, "kontakt:test-kontakt");
        try
        {
            await kontakt.StartAsync(CancellationToken.None);
            await kontakt.StopAsync(CancellationToken.None);
            Assert.True(await ThrowawayCluster.WaitUntilStoppedAsync(kontakt));
            await StartByHandAsync(options, kontakt);

            var adopter = new PostgresCluster(options, NullLogger.Instance, "kontakt:test-adopter");
            await adopter.StartAsync(CancellationToken.None);
            await adopter.StopAsync(CancellationToken.None);
            Assert.True(await AnswersAsync(kontakt), "Kontakt stopped a cluster it had not started.");
        }
        finally
        {
            await StopByHandAsync(options);
            ThrowawayCluster.Remove(options);
        }
    }

    private static async Task<bool> AnswersAsync(PostgresCluster cluster)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(unpooled);
        try
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync() is 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static async Task WaitUntilNoSessionsOfAsync(PostgresCluster cluster, string applicationName)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false }.ConnectionString;
        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(unpooled);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", connection);
            count.Parameters.AddWithValue("name", applicationName);
            return await count.ExecuteScalarAsync() is 0L;
        }, TimeSpan.FromSeconds(10), $"Sessions of {applicationName} remain.");
    }

    private static string? RunAs => Environment.IsPrivilegedProcess ? "postgres" : null;

    private static async Task StartByHandAsync(EmbeddedPostgresOptions options, PostgresCluster cluster)
    {
        var pgCtl = Path.Combine(PostgresBinaries.Locate(options.BinDirectory), "pg_ctl");
        var serverOptions = $"-p {options.Port} -k {Path.Combine(cluster.Root, "run")} -c listen_addresses=127.0.0.1";
        var start = await ProcessRunner.RunAsync(pgCtl, ["start", "-D", cluster.DataDirectory, "-l", cluster.LogFile, "-w", "-o", serverOptions], RunAs, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.True(start.ExitCode == 0, start.Output);
    }

    private static async Task StopByHandAsync(EmbeddedPostgresOptions options)
    {
        NpgsqlConnection.ClearAllPools();
        var dataDirectory = Path.Combine(options.DataDirectory!, "pgdata");
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            var pgCtl = Path.Combine(PostgresBinaries.Locate(options.BinDirectory), "pg_ctl");
            await ProcessRunner.RunAsync(pgCtl, ["stop", "-D", dataDirectory, "-m", "immediate", "-w"], RunAs, TimeSpan.FromMinutes(1), CancellationToken.None);
        }
    }
}
