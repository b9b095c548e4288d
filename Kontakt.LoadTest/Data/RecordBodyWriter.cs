using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kontakt.LoadTest.Data;

/// <summary>
/// Writes request bodies straight from the plan with <see cref="Utf8JsonWriter"/>: no
/// request objects, no reflection, no intermediate strings.
/// </summary>
public sealed class RecordBodyWriter(RecordPlan plan, RecordIdScheme ids)
{
    /// <summary>Writer options: UTF-8 text as clients send it (accents unescaped), no validation cost.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText NameProperty = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText DobProperty = JsonEncodedText.Encode("dob");
    private static readonly JsonEncodedText ColorProperty = JsonEncodedText.Encode("favoriteColor");
    private static readonly JsonEncodedText RecordIdProperty = JsonEncodedText.Encode("recordId");

    /// <summary>One record as a JSON object.</summary>
    public void WriteRecord(Utf8JsonWriter writer, int sequence)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var record = plan[sequence];
        Span<char> text = stackalloc char[Math.Max(ids.MaxLength, 10)];

        writer.WriteStartObject();
        writer.WriteString(NameProperty, record.Name);
        plan.DobOf(sequence).TryFormat(text, out var dobLength, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        writer.WriteString(DobProperty, text[..dobLength]);
        if (record.FavoriteColor is { } color)
        {
            writer.WriteString(ColorProperty, color);
        }
        writer.WriteString(RecordIdProperty, text[..ids.Format(sequence, text)]);
        writer.WriteEndObject();
    }

    /// <summary>Records <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 as a JSON array.</summary>
    public void WriteBatch(Utf8JsonWriter writer, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        for (var sequence = first; sequence < first + count; sequence++)
        {
            WriteRecord(writer, sequence);
        }
        writer.WriteEndArray();
    }

    /// <summary>Convenience for tests and samples: the body of one record as UTF-8 bytes.</summary>
    public byte[] RecordBytes(int sequence)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteRecord(writer, sequence);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
