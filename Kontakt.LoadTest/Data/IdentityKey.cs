using System.Globalization;
using System.Text;

namespace Kontakt.LoadTest.Data;

/// <summary>
/// Who a record belongs to, as the service is specified to decide it: the canonical name
/// plus the date of birth. Computed here independently of the service's own code, so the
/// verification checks the service against the specification, not against itself.
/// </summary>
public readonly record struct IdentityKey(string CanonicalName, DateOnly Dob)
{
    public static IdentityKey For(string name, DateOnly dob) => new(Canonicalize(name), dob);

    /// <summary>
    /// Format characters (Unicode category Cf) other than ZWJ and ZWNJ removed, then NFKC, trim,
    /// collapse inner whitespace to one space, invariant upper-then-lower case.
    /// </summary>
    public static string Canonicalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var visible = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.Value is 0x200C or 0x200D || Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format)
            {
                visible.Append(rune.ToString());
            }
        }
        var text = visible.ToString();
        var composed = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(composed.Length);
        var pendingSpace = false;
        foreach (var c in composed)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
        }
        return builder.ToString().ToUpperInvariant().ToLowerInvariant();
    }
}
