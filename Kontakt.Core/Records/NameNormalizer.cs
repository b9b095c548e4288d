using System.Text;

namespace Kontakt.Core.Records;

/// <summary>
/// Turns a name into the identity key: invisible format characters removed, Unicode NFKC, trimmed,
/// inner whitespace collapsed to one space, case-folded with the invariant culture. Accents are kept
/// on purpose: "José" and "Jose" stay different people, because merging two real people is worse
/// than splitting one. The name must already have passed <see cref="NameCharacters"/>' checks.
/// </summary>
public static class NameNormalizer
{
    /// <summary>Returns the identity key for <paramref name="name"/>.</summary>
    public static string ToIdentityKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var visible = NameCharacters.RemoveInvisible(name);
        var composed = visible.IsNormalized(NormalizationForm.FormKC) ? visible : visible.Normalize(NormalizationForm.FormKC);
        var collapsed = WhitespaceRuns.Collapse(composed);
        // Upper then lower folds letters whose lower forms differ (Greek final sigma ς and σ).
        return collapsed.ToUpperInvariant().ToLowerInvariant();
    }
}
