using System.Runtime.CompilerServices;
using System.Text;
using Kontakt.Core.Records;

namespace Kontakt.Core.Imports;

/// <summary>
/// <c>text/csv</c>: a header row, then one record per row (RFC 4180 quoting). A row's line is the line it
/// starts on, the header being line 1.
/// </summary>
public sealed class CsvImportFormat : IImportFormat
{
    /// <summary>Longest row accepted, in characters: far above any valid record, and what bounds the memory of one row.</summary>
    public const int MaxRecordChars = 64 * 1024;

    private const int ReadChars = 16 * 1024;

    /// <inheritdoc />
    public string Name => "csv";

    /// <inheritdoc />
    public string? MediaType => "text/csv";

    /// <inheritdoc />
    public IReadOnlyList<FieldError> CheckHead(ReadOnlySpan<byte> head, bool isWholeFile, ImportFormatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parser = new CsvRecordParser(MaxRecordChars);
        var records = new List<CsvRecord>();
        var text = Encoding.UTF8.GetString(head);
        parser.Feed(text.StartsWith('\uFEFF') ? text.AsSpan(1) : text, records);
        if (isWholeFile)
        {
            parser.Finish(records);
        }
        var errors = new List<FieldError>();
        if (records.Count == 0)
        {
            errors.Add(isWholeFile
                ? new FieldError("header", "the file has no header row.")
                : new FieldError("header", "the header row is longer than the first megabyte of the file."));
            return errors;
        }
        if (records[0].Error is { } malformed)
        {
            errors.Add(new FieldError("header", malformed));
            return errors;
        }
        CsvHeader.Parse(records[0].Fields!, options, errors);
        return errors;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportItem> ReadAsync(Stream input, ImportFormatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var reader = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var parser = new CsvRecordParser(MaxRecordChars);
        var records = new List<CsvRecord>();
        var buffer = new char[ReadChars];
        CsvHeader? header = null;
        var errors = new List<FieldError>();
        var ended = false;
        while (!ended)
        {
            var read = await reader.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                parser.Finish(records);
                ended = true;
            }
            else
            {
                parser.Feed(buffer.AsSpan(0, read), records);
            }
            foreach (var record in records)
            {
                if (header is null)
                {
                    header = record.Fields is null ? null : CsvHeader.Parse(record.Fields, options, errors);
                    if (header is null)
                    {
                        // Checked when the file was uploaded; a stored file whose header fails now reports it once and reads nothing.
                        yield return new ImportItem(record.Line, null, errors.Count > 0 ? errors : [new FieldError("header", record.Error ?? "is not a valid header row.")]);
                        yield break;
                    }
                    continue;
                }
                yield return ToItem(header, record);
            }
            records.Clear();
        }
    }

    private static ImportItem ToItem(CsvHeader header, CsvRecord record)
    {
        if (record.Error is { } malformed)
        {
            return ImportItem.Invalid(record.Line, "$", malformed);
        }
        var fields = record.Fields!;
        return fields.Length != header.Columns
            ? ImportItem.Invalid(record.Line, "$", $"the row has {fields.Length} fields; the header has {header.Columns}.")
            : ImportItem.Of(record.Line, header.ToRecord(fields));
    }
}
