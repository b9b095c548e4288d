namespace Kontakt.Core.Ingest;

/// <summary>
/// Records of a request could not be stored (a record the database refused even alone, or
/// shutdown before they were written). The message names record positions, never PHI.
/// </summary>
public sealed class RecordStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecordStorageException(string message, IReadOnlyList<int> failedIndexes, Exception? inner = null)
        : base(message, inner) => FailedIndexes = failedIndexes;

    /// <summary>Creates the exception.</summary>
    public RecordStorageException() : this("Records could not be stored.", []) { }

    /// <summary>Creates the exception.</summary>
    public RecordStorageException(string message) : this(message, []) { }

    /// <summary>Creates the exception.</summary>
    public RecordStorageException(string message, Exception inner) : this(message, [], inner) { }

    /// <summary>Positions (0-based, in request order) of the records that were not stored.</summary>
    public IReadOnlyList<int> FailedIndexes { get; }
}
