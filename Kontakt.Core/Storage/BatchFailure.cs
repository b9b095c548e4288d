using Npgsql;

namespace Kontakt.Core.Storage;

/// <summary>
/// Decides what a failed batch means. Only a data error can be the fault of one record (and is
/// isolated by splitting the batch); anything else — the database away, read-only after a failover,
/// a permission or schema problem, a deadlock — is the database's state, not the records': the batch
/// is retried until it commits, so nothing accepted is dropped.
/// </summary>
internal static class BatchFailure
{
    /// <summary>True when the failure may be caused by a record's content: retrying the same records cannot help.</summary>
    public static bool IsRecordSpecific(Exception error) => error switch
    {
        // 22: data exception (bad encoding, value out of range); 23: integrity constraint violation;
        // 54: program limit exceeded (a value too large for an index row).
        PostgresException postgres => postgres.SqlState.StartsWith("22", StringComparison.Ordinal)
                                      || postgres.SqlState.StartsWith("23", StringComparison.Ordinal)
                                      || postgres.SqlState.StartsWith("54", StringComparison.Ordinal),
        NpgsqlException or IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException => false,
        // Our own code refusing a result (InvalidOperationException, InvalidCastException…): isolate, do not loop.
        _ => true,
    };
}
