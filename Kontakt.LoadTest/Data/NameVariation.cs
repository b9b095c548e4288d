namespace Kontakt.LoadTest.Data;

/// <summary>
/// Ways a returning person's name arrives written differently. Each must leave the
/// canonical name unchanged, so the service has to resolve it to the same patient.
/// </summary>
public enum NameVariation
{
    None = 0,
    UpperCase,
    LowerCase,
    DoubleSpaces,
    PaddedWithSpaces,
    NoBreakSpaces,
}

/// <summary>Applies a <see cref="NameVariation"/>.</summary>
public static class NameVariations
{
    /// <summary>The variations that change the text (all but <see cref="NameVariation.None"/>).</summary>
    public static IReadOnlyList<NameVariation> All { get; } =
        [NameVariation.UpperCase, NameVariation.LowerCase, NameVariation.DoubleSpaces, NameVariation.PaddedWithSpaces, NameVariation.NoBreakSpaces];

    public static string Apply(NameVariation variation, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return variation switch
        {
            NameVariation.None => name,
            NameVariation.UpperCase => name.ToUpperInvariant(),
            NameVariation.LowerCase => name.ToLowerInvariant(),
            NameVariation.DoubleSpaces => name.Replace(" ", "  ", StringComparison.Ordinal),
            NameVariation.PaddedWithSpaces => "  " + name + " ",
            // NFKC folds U+00A0 to a plain space.
            NameVariation.NoBreakSpaces => name.Replace(' ', '\u00A0'),
            _ => throw new ArgumentOutOfRangeException(nameof(variation), variation, null),
        };
    }
}
