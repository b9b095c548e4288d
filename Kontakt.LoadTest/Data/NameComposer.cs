using System.Text;

namespace Kontakt.LoadTest.Data;

/// <summary>
/// Builds full names the way registration desks receive them: mostly "First Last", sometimes
/// with a title (Mr., Dr.), a suffix (Jr., PhD), a middle name or initial, two surnames or a
/// hyphenated one.
/// </summary>
public sealed class NameComposer(NamePartPools pools)
{
    private const double PrefixShare = 0.06;
    private const double SuffixShare = 0.04;
    private const double MiddleNameShare = 0.10;
    private const double MiddleInitialShare = 0.08;
    private const double SpanishSecondSurnameShare = 0.5;
    private const double HyphenatedSurnameShare = 0.04;

    public string Compose(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var locale = pools.Pick(random);
        var name = new StringBuilder(48);
        if (random.NextDouble() < PrefixShare)
        {
            name.Append(PickFrom(locale.Prefixes, random)).Append(' ');
        }
        name.Append(PickFrom(locale.FirstNames, random));

        var middle = random.NextDouble();
        if (middle < MiddleNameShare)
        {
            name.Append(' ').Append(PickFrom(locale.FirstNames, random));
        }
        else if (middle < MiddleNameShare + MiddleInitialShare)
        {
            name.Append(' ').Append((char)('A' + random.Next(26))).Append('.');
        }

        name.Append(' ').Append(PickFrom(locale.LastNames, random));
        if (locale.Locale == "es" && random.NextDouble() < SpanishSecondSurnameShare)
        {
            name.Append(' ').Append(PickFrom(locale.LastNames, random));
        }
        else if (random.NextDouble() < HyphenatedSurnameShare)
        {
            name.Append('-').Append(PickFrom(locale.LastNames, random));
        }

        if (random.NextDouble() < SuffixShare)
        {
            name.Append(' ').Append(PickFrom(locale.Suffixes, random));
        }
        return name.ToString();
    }

    private static string PickFrom(IReadOnlyList<string> values, Random random) => values[random.Next(values.Count)];
}
