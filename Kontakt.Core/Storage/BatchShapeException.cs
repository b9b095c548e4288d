namespace Kontakt.Core.Storage;

/// <summary>
/// The database's answer to a batch did not have the shape the writer reads (columns, result sets,
/// one row per record). A fault of the writer or the schema, never of a record: the batch is retried
/// and the failure reported, like a database that is away. The message names columns, never values.
/// </summary>
public sealed class BatchShapeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BatchShapeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BatchShapeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BatchShapeException(string message, Exception inner) : base(message, inner)
    {
    }
}
