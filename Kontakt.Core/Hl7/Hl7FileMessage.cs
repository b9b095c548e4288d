namespace Kontakt.Core.Hl7;

/// <summary>One message read from a file or stream of HL7 v2 messages, or why one could not be read.</summary>
/// <param name="Number">1-based position of the message in the file (errors count as positions too).</param>
/// <param name="Line">1-based line of its first segment (CR, LF and CRLF each end a line).</param>
/// <param name="Utf8">The message's segments, each ending with CR, as UTF-8 bytes; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why nothing could be read here (too large, segments outside any message); never quotes the content.</param>
public sealed record Hl7FileMessage(int Number, long Line, byte[]? Utf8, string? Error)
{
    /// <summary>The message parsed; null when this is an error or the bytes are not an HL7 v2 message.</summary>
    public Hl7Message? Parse() => Utf8 is null ? null : Hl7Message.Parse(Utf8);
}
