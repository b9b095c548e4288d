using System.Security.Cryptography;
using System.Text;

namespace Kontakt.Core.Hl7;

/// <summary>
/// The recordId of an HL7 message: sending application (MSH-3), sending facility (MSH-4) and message
/// control ID (MSH-10), so a retransmission of the same message is the same record and is stored once.
/// <para>
/// Form: <c>hl7:</c><i>application</i><c>:</c><i>facility</i><c>:</c><i>control ID</i>, each the field's
/// decoded components joined by <c>^</c> (trailing empty components left out), with every character other
/// than <c>A-Z a-z 0-9 . -</c> written as <c>_</c> and two hex digits per UTF-8 byte (so <c>:</c> and
/// <c>_</c> inside a value never read as separators): <c>EPIC</c>, <c>NORTH WING</c>, <c>MSG_1</c> →
/// <c>hl7:EPIC:NORTH_20WING:MSG_5F1</c>. When that is longer than a recordId may be (128), it is
/// <c>hl7h:</c> and the SHA-256 of that form in lower-case hex instead.
/// </para>
/// </summary>
public static class Hl7RecordId
{
    /// <summary>The prefix of the readable form.</summary>
    public const string Prefix = "hl7:";

    /// <summary>The prefix of the hashed form, for triples too long to be written out.</summary>
    public const string HashedPrefix = "hl7h:";

    /// <summary>The recordId for a message from <paramref name="application"/> at <paramref name="facility"/> with <paramref name="controlId"/> (all decoded).</summary>
    public static string From(string application, string facility, string controlId)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(facility);
        ArgumentNullException.ThrowIfNull(controlId);
        var readable = new StringBuilder(Prefix);
        Append(readable, application);
        readable.Append(':');
        Append(readable, facility);
        readable.Append(':');
        Append(readable, controlId);
        if (readable.Length <= Records.RecordValidator.MaxRecordIdLength)
        {
            return readable.ToString();
        }
        return HashedPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(readable.ToString())));
    }

    private static void Append(StringBuilder recordId, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '.' or '-'))
            {
                recordId.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                recordId.Append('_').Append(Convert.ToHexString([b]));
            }
        }
    }
}
