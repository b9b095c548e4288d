using Bogus;

namespace Kontakt.LoadTest.Data;

/// <summary>
/// Name parts from Bogus (English, German, French and Spanish data sets, so accents and
/// apostrophes occur naturally), drawn once with a fixed seed. Composing names from these
/// pools is what keeps generation cheap: Bogus runs a few thousand times, not per record.
/// </summary>
public sealed class NamePartPools
{
    private const int DrawsPerPart = 3000;
    private const int DrawsPerTitle = 200;

    // Bogus' English surnames hold only a few with an apostrophe; real registers hold more.
    private static readonly string[] ApostropheSurnames =
        ["O'Brien", "O'Neill", "O'Sullivan", "D'Angelo", "D'Souza", "O'Connor", "D'Amico", "L'Écuyer", "N'Diaye", "Dell'Orto"];

    private NamePartPools(IReadOnlyList<LocaleNames> locales)
    {
        Locales = locales;
        TotalWeight = locales.Sum(l => l.Weight);
    }

    public IReadOnlyList<LocaleNames> Locales { get; }

    public double TotalWeight { get; }

    public static IReadOnlyList<string> ExtraApostropheSurnames => ApostropheSurnames;

    public static NamePartPools Create(int seed) => new(
    [
        Draw("en", 0.55, seed),
        Draw("de", 0.15, seed + 1),
        Draw("fr", 0.15, seed + 2),
        Draw("es", 0.15, seed + 3),
    ]);

    public LocaleNames Pick(Random random)
    {
        var point = random.NextDouble() * TotalWeight;
        foreach (var locale in Locales)
        {
            point -= locale.Weight;
            if (point < 0)
            {
                return locale;
            }
        }
        return Locales[^1];
    }

    private static LocaleNames Draw(string locale, double weight, int seed)
    {
        var faker = new Faker(locale) { Random = new Randomizer(seed) };
        var lastNames = Distinct(DrawsPerPart, () => faker.Name.LastName());
        if (locale is "en" or "fr")
        {
            lastNames = [.. lastNames, .. ApostropheSurnames];
        }
        return new LocaleNames(
            locale,
            weight,
            Distinct(DrawsPerPart, () => faker.Name.FirstName()),
            lastNames,
            Distinct(DrawsPerTitle, () => faker.Name.Prefix()),
            Distinct(DrawsPerTitle, () => faker.Name.Suffix()));
    }

    // First-seen order, so the pools (and with them every name) depend on the seed alone.
    private static string[] Distinct(int draws, Func<string> draw)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<string>();
        for (var i = 0; i < draws; i++)
        {
            var value = draw().Trim();
            if (value.Length > 0 && seen.Add(value))
            {
                ordered.Add(value);
            }
        }
        return [.. ordered];
    }
}
