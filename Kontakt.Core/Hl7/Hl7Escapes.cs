using System.Globalization;
using System.Text;

namespace Kontakt.Core.Hl7;

/// <summary>
/// HL7 v2 escape sequences. Decoding handles what a value of a name, date or color can hold:
/// the delimiter escapes <c>\F\ \S\ \T\ \R\ \E\</c> (and <c>\P\</c> for the v2.7 truncation character),
/// <c>\Xhh…\</c> (bytes in hexadecimal, read as UTF-8, the message's character set) and the highlighting
/// marks <c>\H\ \N\</c>, which carry no text. Anything else — formatting commands, character-set switches,
/// an unterminated sequence — makes the value undecodable, and its field is answered as a data type error.
/// </summary>
public static class Hl7Escapes
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="raw"/>, a field, component or subcomponent as sent. False when it cannot be decoded.</summary>
    public static bool TryDecode(string raw, Hl7Delimiters delimiters, out string value)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(delimiters);
        value = raw;
        var escape = delimiters.Escape;
        if (raw.IndexOf(escape, StringComparison.Ordinal) < 0)
        {
            return true;
        }
        var decoded = new StringBuilder(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c != escape)
            {
                decoded.Append(c);
                i++;
                continue;
            }
            var end = raw.IndexOf(escape, i + 1);
            if (end < 0 || !TryAppendSequence(raw.AsSpan(i + 1, end - i - 1), delimiters, decoded))
            {
                return false;
            }
            i = end + 1;
        }
        value = decoded.ToString();
        return true;
    }

    /// <summary>Escapes every delimiter in <paramref name="text"/>, so it can be written into a field (an ACK's texts).</summary>
    public static string Encode(string text, Hl7Delimiters delimiters)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(delimiters);
        var encoded = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            var code = c == delimiters.Escape ? 'E'
                : c == delimiters.Field ? 'F'
                : c == delimiters.Component ? 'S'
                : c == delimiters.Subcomponent ? 'T'
                : c == delimiters.Repetition ? 'R'
                : c == delimiters.Truncation ? 'P'
                : '\0';
            if (code == '\0')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append(delimiters.Escape).Append(code).Append(delimiters.Escape);
            }
        }
        return encoded.ToString();
    }

    private static bool TryAppendSequence(ReadOnlySpan<char> sequence, Hl7Delimiters delimiters, StringBuilder decoded)
    {
        switch (sequence)
        {
            case "F":
                decoded.Append(delimiters.Field);
                return true;
            case "S":
                decoded.Append(delimiters.Component);
                return true;
            case "T":
                decoded.Append(delimiters.Subcomponent);
                return true;
            case "R":
                decoded.Append(delimiters.Repetition);
                return true;
            case "E":
                decoded.Append(delimiters.Escape);
                return true;
            case "P" when delimiters.Truncation is { } truncation:
                decoded.Append(truncation);
                return true;
            case "H" or "N":
                return true;
        }
        return sequence.Length > 1 && sequence[0] == 'X' && TryAppendHex(sequence[1..], decoded);
    }

    private static bool TryAppendHex(ReadOnlySpan<char> hex, StringBuilder decoded)
    {
        if (hex.Length % 2 != 0)
        {
            return false;
        }
        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(hex.Slice(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }
        try
        {
            decoded.Append(StrictUtf8.GetString(bytes));
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
