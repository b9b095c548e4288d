using Kontakt.Core.Records;

namespace Kontakt.Core.Imports;

/// <summary>One input record of an import file: a record to validate, or why the input could not be read as one.</summary>
/// <param name="Line">1-based line of the file where the record starts (a CSV header is line 1).</param>
/// <param name="Record">The record as read; null when <paramref name="Errors"/> says why there is none.</param>
/// <param name="Errors">Why the line is not a record (field and reason, never a value); null when <paramref name="Record"/> is set.</param>
public sealed record ImportItem(long Line, RecordRequest? Record, IReadOnlyList<FieldError>? Errors)
{
    /// <summary>A line read as a record.</summary>
    public static ImportItem Of(long line, RecordRequest record) => new(line, record, null);

    /// <summary>A line that is not a record.</summary>
    public static ImportItem Invalid(long line, string field, string reason) => new(line, null, [new FieldError(field, reason)]);
}
