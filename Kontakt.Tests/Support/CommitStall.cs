using Kontakt.Core.Storage;
using Npgsql;

namespace Kontakt.Tests.Support;

/// <summary>
/// Holds the commit-order advisory lock from a session of its own, so writers stop mid-batch exactly
/// where a slow database would stop them; disposing releases it.
/// </summary>
public sealed class CommitStall : IAsyncDisposable
{
    private const string WritersWaiting = """
        SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> pg_backend_pid()
        """;

    private readonly NpgsqlConnection _connection;

    private CommitStall(NpgsqlConnection connection) => _connection = connection;

    public static async Task<CommitStall> HoldAsync(string connectionString)
    {
        // Unpooled: a pooled connection is reset lazily, which would keep the lock after "closing".
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", CommitOrdering.AdvisoryLockKey);
        await command.ExecuteNonQueryAsync();
        return new CommitStall(connection);
    }

    /// <summary>Waits until <paramref name="writers"/> backends wait for the lock; returns their process IDs.</summary>
    public async Task<List<int>> WaitForWritersAsync(int writers)
    {
        var waiting = new List<int>();
        await Eventually.TrueAsync(async () =>
        {
            waiting.Clear();
            await using var find = new NpgsqlCommand(WritersWaiting, _connection);
            await using var reader = await find.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                waiting.Add(reader.GetInt32(0));
            }
            return waiting.Count >= writers;
        }, TimeSpan.FromSeconds(15), $"{writers} writer(s) never reached the commit lock");
        return waiting;
    }

    /// <summary>Ends a backend the way a dropped connection or a server restart would.</summary>
    public async Task TerminateAsync(int pid)
    {
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", _connection);
        kill.Parameters.AddWithValue("pid", pid);
        Assert.True((bool)(await kill.ExecuteScalarAsync())!);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
