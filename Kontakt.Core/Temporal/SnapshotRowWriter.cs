using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kontakt.Core.Temporal;

/// <summary>
/// Formats snapshot rows into a buffer, byte-for-byte deterministic, so the same rows always give
/// the same bytes (and the same SHA-256).
/// </summary>
internal sealed class SnapshotRowWriter : IDisposable
{
    private static readonly byte[] CsvHeader = "patientId,favoriteColor\r\n"u8.ToArray();
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly SnapshotFormat _format;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;

    public SnapshotRowWriter(SnapshotFormat format)
    {
        _format = format;
        _json = new Utf8JsonWriter(_buffer, JsonOptions);
        if (format == SnapshotFormat.Csv)
        {
            _buffer.Write(CsvHeader);
        }
    }

    public int BufferedBytes => _buffer.WrittenCount;

    public ReadOnlyMemory<byte> Buffered => _buffer.WrittenMemory;

    public void Clear() => _buffer.ResetWrittenCount();

    /// <summary>One row; a null color is JSON null in NDJSON and an empty cell in CSV.</summary>
    public void Write(Guid patientId, string? favoriteColor)
    {
        if (_format == SnapshotFormat.NdJson)
        {
            _json.Reset(_buffer);
            _json.WriteStartObject();
            _json.WriteString("patientId"u8, patientId);
            if (favoriteColor is null)
            {
                _json.WriteNull("favoriteColor"u8);
            }
            else
            {
                _json.WriteString("favoriteColor"u8, favoriteColor);
            }
            _json.WriteEndObject();
            _json.Flush();
            _buffer.Write("\n"u8);
            return;
        }

        var span = _buffer.GetSpan(36);
        patientId.TryFormat(span, out var written, "D");
        _buffer.Advance(written);
        _buffer.Write(","u8);
        if (favoriteColor is not null)
        {
            WriteCsvField(favoriteColor);
        }
        _buffer.Write("\r\n"u8);
    }

    public void Dispose() => _json.Dispose();

    private void WriteCsvField(string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            Encoding.UTF8.GetBytes(value, _buffer);
            return;
        }
        _buffer.Write("\""u8);
        Encoding.UTF8.GetBytes(value.Replace("\"", "\"\"", StringComparison.Ordinal), _buffer);
        _buffer.Write("\""u8);
    }
}
