using System.Globalization;
using System.Text;

namespace Kontakt.Core.Records;

/// <summary>
/// Which characters a name may hold and which of them count for identity. Noncharacters are
/// refused (Unicode reserves them for internal use; normalization throws on them) and so are
/// bidirectional embedding, override and isolate controls (they make a name display as something
/// else than it is). Other invisible format characters (category Cf: zero width space, soft hyphen,
/// byte order mark, word joiner …) are allowed but do not count: "Zero\u200B Width" is "Zero Width".
/// Zero width joiner and non-joiner are kept, because they change how Persian and Indic names are
/// written and read.
/// </summary>
public static class NameCharacters
{
    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;

    /// <summary>True for U+FDD0–U+FDEF and the last two code points of every plane (U+xxFFFE, U+xxFFFF).</summary>
    public static bool IsNoncharacter(Rune rune) =>
        rune.Value is >= 0xFDD0 and <= 0xFDEF || (rune.Value & 0xFFFE) == 0xFFFE;

    /// <summary>True for the embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.</summary>
    public static bool IsBidiControl(Rune rune) =>
        rune.Value is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069;

    /// <summary>True for a format character (Cf) that does not count for identity: every one but ZWJ and ZWNJ.</summary>
    public static bool IsIgnorable(Rune rune) =>
        rune.Value is not (ZeroWidthJoiner or ZeroWidthNonJoiner) && Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format;

    /// <summary>True when <paramref name="key"/> holds at least one character a reader can see.</summary>
    public static bool HasVisibleCharacter(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var rune in key.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><paramref name="name"/> without its ignorable format characters; the same instance when it has none.</summary>
    public static string RemoveInvisible(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var first = IndexOfIgnorable(name);
        if (first < 0)
        {
            return name;
        }
        var builder = new StringBuilder(name.Length);
        builder.Append(name, 0, first);
        foreach (var rune in name.AsSpan(first).EnumerateRunes())
        {
            if (!IsIgnorable(rune))
            {
                builder.Append(rune.ToString());
            }
        }
        return builder.ToString();
    }

    private static int IndexOfIgnorable(string name)
    {
        var index = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (IsIgnorable(rune))
            {
                return index;
            }
            index += rune.Utf16SequenceLength;
        }
        return -1;
    }
}
