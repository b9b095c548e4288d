using Npgsql;

namespace Kontakt.Core.Storage;

/// <summary>
/// Decides what a failed batch means. Only a data error can be the fault of one record (and is
/// isolated by splitting the batch); anything else — the database away, read-only after a failover,
/// a permission or schema problem, a deadlock, an answer the writer cannot read — is not the records'
/// fault: the batch is retried until it commits, so nothing accepted is dropped.
/// </summary>
internal static class BatchFailure
{
    /// <summary>
    /// Why the records refused, when the failure may be caused by a record's content (retrying the same
    /// records cannot help); null when it is not a record's fault. The reason names the error class and
    /// SQLSTATE, never the server's message, which can quote a value.
    /// </summary>
    public static string? RefusalReason(Exception error) => error switch
    {
        // 22: data exception (bad encoding, value out of range); 23: integrity constraint violation;
        // 54: program limit exceeded (a value too large for an index row).
        PostgresException postgres => postgres.SqlState[..2] switch
        {
            "22" => $"the database refused a value (data exception, SQLSTATE {postgres.SqlState}).",
            "23" => $"the database refused the record (integrity constraint, SQLSTATE {postgres.SqlState}).",
            "54" => $"a value is too large for the database (program limit, SQLSTATE {postgres.SqlState}).",
            _ => null,
        },
        // Anything else — the connection, a timeout, an answer of the wrong shape (BatchShapeException),
        // a fault in this writer — is no record's doing: retried and reported, never blamed on a record.
        _ => null,
    };
}
