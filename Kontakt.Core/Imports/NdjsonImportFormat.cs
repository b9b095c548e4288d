using System.Runtime.CompilerServices;
using System.Text.Json;
using Kontakt.Core.Records;

namespace Kontakt.Core.Imports;

/// <summary><c>application/x-ndjson</c>: one Kontakt record (the JSON of <c>POST /v1/records</c>) per line; blank lines are skipped.</summary>
public sealed class NdjsonImportFormat : IImportFormat
{
    /// <summary>Longest line accepted, in bytes: far above any valid record, and what bounds the memory of one line.</summary>
    public const int MaxLineBytes = 64 * 1024;

    /// <inheritdoc />
    public string Name => "ndjson";

    /// <inheritdoc />
    public string? MediaType => "application/x-ndjson";

    /// <inheritdoc />
    public IReadOnlyList<FieldError> CheckHead(ReadOnlySpan<byte> head, bool isWholeFile, ImportFormatOptions options) => [];

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportItem> ReadAsync(Stream input, ImportFormatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in NdjsonLines.ReadAsync(input, MaxLineBytes, cancellationToken))
        {
            if (line.TooLong)
            {
                yield return ImportItem.Invalid(line.Number, "$", $"the line is longer than {MaxLineBytes:N0} bytes.");
                continue;
            }
            yield return Parse(line.Number, line.Bytes.Span);
        }
    }

    private static ImportItem Parse(long number, ReadOnlySpan<byte> json)
    {
        try
        {
            var record = JsonSerializer.Deserialize(json, RecordJsonContext.Default.RecordRequest);
            return record is null ? ImportItem.Invalid(number, "$", "the line must be a JSON object, not null.") : ImportItem.Of(number, record);
        }
        catch (JsonException error)
        {
            var reason = Describe(error);
            return ImportItem.Invalid(number, reason.Field, reason.Message);
        }
    }

    // The reader's own message is not used: it can quote the input.
    private static FieldError Describe(JsonException error)
    {
        var field = string.IsNullOrEmpty(error.Path) || error.Path == "$" ? "$" : error.Path.TrimStart('$', '.');
        var message = error.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return new FieldError(field, "is not a property of a record; unknown properties are rejected so that typos are caught.");
        }
        if (message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return new FieldError(field, "appears more than once.");
        }
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return field == "$" ? new FieldError(field, "the line must be a JSON object with the record's properties.") : new FieldError(field, "must be a JSON string.");
        }
        return new FieldError("$", $"the line is not valid JSON (byte {error.BytePositionInLine + 1}).");
    }
}
