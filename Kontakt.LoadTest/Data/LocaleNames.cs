namespace Kontakt.LoadTest.Data;

/// <summary>Name parts drawn from one Bogus locale, and how often that locale is picked.</summary>
public sealed record LocaleNames(
    string Locale,
    double Weight,
    IReadOnlyList<string> FirstNames,
    IReadOnlyList<string> LastNames,
    IReadOnlyList<string> Prefixes,
    IReadOnlyList<string> Suffixes);
