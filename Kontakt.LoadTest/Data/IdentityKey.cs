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

    /// <summary>NFKC, trim, collapse inner whitespace to one space, invariant upper-then-lower case.</summary>
    public static string Canonicalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var composed = name.IsNormalized(NormalizationForm.FormKC) ? name : name.Normalize(NormalizationForm.FormKC);
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
