using System.Net.Sockets;
using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>
/// Where reads of the public store go: the standby (<c>ConnectionStrings:KontaktReadOnly</c>) while it is reachable,
/// otherwise the primary. A read for a system time T runs on a standby connection only after that connection has
/// shown a stable horizon at or after T — the standby has replayed every batch stamped up to T — and on the primary
/// otherwise, which has them all. So replication lag never changes an answer, whichever server (or which of several
/// behind one address) serves it. Writes, identity resolution and PHI never come here: they use the primary's own
/// data source.
/// </summary>
public sealed class ReadDataSource
{
    private const string HorizonSql = "SELECT public_store.stable_horizon()";

    // Standard replay lag, except that a standby no longer streaming (no WAL receiver) counts the time since its
    // last replayed transaction: an idle primary and a broken stream look alike from here, and only one is harmless.
    private const string ReplayLagSql = """
        SELECT CASE
            WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                 AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE pid IS NOT NULL) THEN 0
            ELSE COALESCE(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)::float8
        END
        """;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _primary;
    private readonly NpgsqlDataSource? _standby;
    private readonly StandbyStatus _status;
    private readonly TimeProvider _time;

    /// <summary>Reads on <paramref name="standby"/> when given and <paramref name="status"/> says it is reachable, else on <paramref name="primary"/>.</summary>
    public ReadDataSource(NpgsqlDataSource primary, NpgsqlDataSource? standby, StandbyStatus status, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(time);
        _primary = primary;
        _standby = standby;
        _status = status;
        _time = time;
    }

    /// <summary>Every read on <paramref name="primary"/>.</summary>
    public static ReadDataSource PrimaryOnly(NpgsqlDataSource primary) => new(primary, null, new StandbyStatus(configured: false), TimeProvider.System);

    private bool UseStandby => _standby is not null && _status.Reachable;

    /// <summary>
    /// Runs <paramref name="read"/> on a standby connection that has replayed through <paramref name="replayedThrough"/>
    /// (any, when null), or on the primary when the standby is unreachable, behind, or fails during the read.
    /// <paramref name="read"/> may therefore run twice: it must only read.
    /// </summary>
    public async Task<T> ReadAsync<T>(DateTimeOffset? replayedThrough, Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (UseStandby)
        {
            try
            {
                await using var standby = await OpenStandbyAsync(replayedThrough, cancellationToken);
                if (standby is not null)
                {
                    return await read(standby);
                }
            }
            catch (Exception error) when (IsUnreachable(error, cancellationToken))
            {
                MarkUnreachable(ReasonOf(error));
            }
        }
        await using var primary = await _primary.OpenConnectionAsync(cancellationToken);
        return await read(primary);
    }

    /// <summary>
    /// An open connection for a read that cannot be repeated once started (a streamed export): on the standby when it
    /// is reachable and has replayed through <paramref name="replayedThrough"/>, otherwise on the primary. The caller disposes it.
    /// </summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(DateTimeOffset? replayedThrough, CancellationToken cancellationToken)
    {
        if (UseStandby)
        {
            try
            {
                if (await OpenStandbyAsync(replayedThrough, cancellationToken) is { } standby)
                {
                    return standby;
                }
            }
            catch (Exception error) when (IsUnreachable(error, cancellationToken))
            {
                MarkUnreachable(ReasonOf(error));
            }
        }
        return await _primary.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>
    /// Asks the standby, whether or not reads use it now, for its replay lag, and records the answer (or that it did not
    /// answer) in the shared <see cref="StandbyStatus"/>: a standby found unreachable is used again once a probe reaches it.
    /// </summary>
    public async Task ProbeStandbyAsync(CancellationToken cancellationToken)
    {
        if (_standby is null)
        {
            return;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            await using var command = _standby.CreateCommand(ReplayLagSql);
            var lag = (double)(await command.ExecuteScalarAsync(deadline.Token))!;
            _status.MarkReachable(lag, _time.GetUtcNow());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            MarkUnreachable("timeout");
        }
        catch (Exception error) when (IsUnreachable(error, cancellationToken))
        {
            MarkUnreachable(ReasonOf(error));
        }
    }

    private void MarkUnreachable(string reason)
    {
        _status.MarkUnreachable(reason, _time.GetUtcNow());
        // Idle connections to a standby that went away are dead too: dropped now, so reads after its return do not
        // find them one by one (each failure sending reads back to the primary until the next probe).
        _standby?.Clear();
    }

    /// <summary>A standby connection that has replayed through <paramref name="replayedThrough"/>, or null when it has not yet.</summary>
    private async Task<NpgsqlConnection?> OpenStandbyAsync(DateTimeOffset? replayedThrough, CancellationToken cancellationToken)
    {
        var connection = await _standby!.OpenConnectionAsync(cancellationToken);
        if (replayedThrough is not { } asOf)
        {
            return connection;
        }
        try
        {
            // Its own statement on this very connection: the read that follows takes a later snapshot on the same
            // server, so it sees every batch stamped at or before the horizon read here.
            await using var command = new NpgsqlCommand(HorizonSql, connection);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                if (reader.GetFieldValue<DateTimeOffset>(0) >= asOf)
                {
                    return connection;
                }
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    // The standby is unreachable, shutting down or starting up. Errors of the read itself (a bad statement, a
    // cancelled request) are not the standby's fault and surface as they would from the primary.
    private static bool IsUnreachable(Exception error, CancellationToken cancellationToken) => error switch
    {
        OperationCanceledException => false,
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        NpgsqlException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    // Fixed words for readiness and logs: an error kind, never a message (which may name hosts).
    private static string ReasonOf(Exception error) => error switch
    {
        PostgresException postgres => $"SQLSTATE {postgres.SqlState}",
        { InnerException: SocketException socket } => socket.SocketErrorCode.ToString(),
        { InnerException: TimeoutException } => "timeout",
        _ => error.GetType().Name,
    };
}
