namespace Kontakt.Core.Imports;

/// <summary>What a step of a job committed: counts to add, errors to keep, and the line it reached.</summary>
/// <param name="LastLine">The last input line of the step: a resumed job starts after it.</param>
/// <param name="Received">Lines in the step.</param>
/// <param name="Stored">Lines stored.</param>
/// <param name="Rejected">Lines rejected.</param>
/// <param name="Errors">Why each rejected line was rejected.</param>
public sealed record ImportProgress(long LastLine, long Received, long Stored, long Rejected, IReadOnlyList<ImportLineError> Errors);
