using Kontakt.Core.Records;

namespace Kontakt.Core.Imports;

/// <summary>
/// One kind of import file (CSV, Kontakt NDJSON, and later FHIR NDJSON or HL7 v2): turns the stored
/// bytes of an upload into records, each tagged with the input line it came from. The import engine
/// does the rest the same way for every format: recordIds derived from the line, validation by
/// <see cref="RecordValidator"/>, the ingest queue, checkpoints and the error report.
/// </summary>
public interface IImportFormat
{
    /// <summary>The name stored with a job (<c>csv</c>, <c>ndjson</c>); lower case, stable across versions.</summary>
    string Name { get; }

    /// <summary>The request media type that selects this format on <c>POST /v1/imports</c>, or null when it is not uploaded there.</summary>
    string? MediaType { get; }

    /// <summary>
    /// Checks what must be right before an upload is accepted (CSV: the header row), from the first
    /// bytes of the file. Returns the problems (a 400); empty when the file may be stored.
    /// </summary>
    /// <param name="head">The first bytes of the file (up to 1 MiB).</param>
    /// <param name="isWholeFile">True when <paramref name="head"/> is the whole file.</param>
    /// <param name="options">The job's options.</param>
    IReadOnlyList<FieldError> CheckHead(ReadOnlySpan<byte> head, bool isWholeFile, ImportFormatOptions options);

    /// <summary>
    /// Reads the whole file in order. Every input record yields one item, in increasing line order:
    /// its record, or the reasons it cannot become one. Never throws for bad content; errors name a
    /// field and a reason, never a value.
    /// </summary>
    IAsyncEnumerable<ImportItem> ReadAsync(Stream input, ImportFormatOptions options, CancellationToken cancellationToken);
}
