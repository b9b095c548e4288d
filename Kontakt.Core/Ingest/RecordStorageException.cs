namespace Kontakt.Core.Ingest;

/// <summary>
/// Records of a request were not stored: the database refused them even one at a time, or their
/// recordId was already stored for a different record. The message names record positions, never PHI.
/// </summary>
public sealed class RecordStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecordStorageException(string message, IReadOnlyList<int> failedIndexes, Exception? inner = null)
        : this(message, failedIndexes, [], inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RecordStorageException(string message, IReadOnlyList<int> failedIndexes, IReadOnlyList<int> conflictingIndexes, Exception? inner = null)
        : base(message, inner)
    {
        FailedIndexes = failedIndexes;
        ConflictingIndexes = conflictingIndexes;
    }

    /// <summary>Creates the exception.</summary>
    public RecordStorageException() : this("Records could not be stored.", []) { }

    /// <summary>Creates the exception.</summary>
    public RecordStorageException(string message) : this(message, []) { }

    /// <summary>Creates the exception.</summary>
    public RecordStorageException(string message, Exception inner) : this(message, [], inner) { }

    /// <summary>Positions (0-based, in request order) of the records the database refused.</summary>
    public IReadOnlyList<int> FailedIndexes { get; }

    /// <summary>Positions of the records whose recordId was already stored for a different record.</summary>
    public IReadOnlyList<int> ConflictingIndexes { get; } = [];
}
