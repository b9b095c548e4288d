namespace Kontakt.Core.Records;

/// <summary>What the batch transaction did with one record.</summary>
/// <param name="Result">The stored (or, for a retried recordId with the same content, the original) result; null on a conflict.</param>
/// <param name="RecordIdConflict">
/// The recordId was already stored for a different record (another person or color). Nothing was stored and
/// no patient ID is given out: answering with the stored record's ID would tell the caller whose it is.
/// </param>
public readonly record struct WriteOutcome(RecordResult? Result, bool RecordIdConflict);
