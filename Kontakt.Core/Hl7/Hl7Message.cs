using System.Text;

namespace Kontakt.Core.Hl7;

/// <summary>
/// One HL7 v2 message: its delimiters and segments. Segments end with CR (the standard), LF or CRLF;
/// empty lines are skipped. The message must start with an MSH segment whose MSH-1 and MSH-2 define usable
/// delimiters; anything else is not an HL7 v2 message and is not answered at all.
/// </summary>
public sealed class Hl7Message
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly char[] SegmentEnds = ['\r', '\n'];

    private Hl7Message(Hl7Delimiters delimiters, IReadOnlyList<Hl7Segment> segments, bool validUtf8)
    {
        Delimiters = delimiters;
        Segments = segments;
        IsValidUtf8 = validUtf8;
    }

    /// <summary>The message's separators (from MSH-1 and MSH-2).</summary>
    public Hl7Delimiters Delimiters { get; }

    /// <summary>The segments in order; the first is MSH.</summary>
    public IReadOnlyList<Hl7Segment> Segments { get; }

    /// <summary>The MSH segment.</summary>
    public Hl7Segment Header => Segments[0];

    /// <summary>
    /// False when the bytes were not valid UTF-8 (every such sequence was read as U+FFFD): the message can
    /// still be answered, since its header is readable, but none of its content can be trusted.
    /// </summary>
    public bool IsValidUtf8 { get; }

    /// <summary>The segments with ID <paramref name="id"/>, in order.</summary>
    public IEnumerable<Hl7Segment> All(string id) => Segments.Where(s => s.Id == id);

    /// <summary>Parses a message from its UTF-8 bytes (MSH-18 <c>UNICODE UTF-8</c> or absent: the only encoding accepted).</summary>
    public static Hl7Message? Parse(ReadOnlySpan<byte> utf8)
    {
        string text;
        var valid = true;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.UTF8.GetString(utf8);
            valid = false;
        }
        return Parse(text, valid);
    }

    /// <summary>Parses a message from text. Null when it is not an HL7 v2 message (see the class summary).</summary>
    public static Hl7Message? Parse(string text) => Parse(text, validUtf8: true);

    private static Hl7Message? Parse(string text, bool validUtf8)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split(SegmentEnds, StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !Hl7Delimiters.TryRead(lines[0], out var delimiters))
        {
            return null;
        }
        var segments = new List<Hl7Segment>(lines.Length);
        foreach (var line in lines)
        {
            var fields = line.Split(delimiters.Field);
            if (fields[0] == "MSH")
            {
                // MSH-1 is the separator itself, so MSH-n is the n-th field counted from it.
                fields = ["MSH", delimiters.Field.ToString(), .. fields[1..]];
            }
            segments.Add(new Hl7Segment(fields));
        }
        return new Hl7Message(delimiters, segments, validUtf8);
    }
}
