using Kontakt.Core.Records;

namespace Kontakt.LoadTest.Data;

/// <summary>
/// Favorite colors, all from the service's vocabulary (GET /v1/colors) and spelled as clients
/// do: canonical, upper case, title case, with doubled inner spaces, and hex colors in either
/// case. One spelling per color, so two entries are always two different colors.
/// </summary>
public sealed class ColorPalette
{
    /// <summary>Share of records that send no color at all (it is optional).</summary>
    public const double OmittedShare = 0.10;

    private const int SampledNames = 300;
    private const int HexColors = 40;
    private const int LongestNames = 12;

    private readonly string[] _colors;

    private ColorPalette(string[] colors) => _colors = colors;

    public int Count => _colors.Length;

    public string this[int index] => _colors[index];

    public static ColorPalette Create(int seed)
    {
        var random = new Random(seed);
        var names = ColorVocabulary.Default.Names.Select(n => n.Name).ToArray();
        // The longest names always, to keep the service's length bounds exercised.
        var longest = names.OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).Take(LongestNames);
        var chosen = longest.Concat(random.GetItems(names, SampledNames)).Distinct(StringComparer.Ordinal);
        var colors = chosen.Select(name => Spell(name, random)).ToList();
        for (var i = 0; i < HexColors; i++)
        {
            var hex = random.Next(2) == 0 ? $"#{random.Next(0x1000):x3}" : $"#{random.Next(0x1000000):X6}";
            colors.Add(hex);
        }
        return new ColorPalette([.. colors.DistinctBy(Canonical, StringComparer.Ordinal)]);
    }

    /// <summary>A color index other than <paramref name="current"/> (any index when it is -1, no color).</summary>
    public int PickOther(int current, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (current < 0)
        {
            return random.Next(_colors.Length);
        }
        var next = random.Next(_colors.Length - 1);
        return next >= current ? next + 1 : next;
    }

    /// <summary>The form the service stores publicly.</summary>
    public static string Canonical(string color) =>
        ColorVocabulary.Default.TryCanonicalize(color, out var canonical)
            ? canonical
            : throw new ArgumentException("The palette holds a color outside the vocabulary.", nameof(color));

    private static string Spell(string name, Random random) => random.Next(4) switch
    {
        0 => name,
        1 => name.ToUpperInvariant(),
        2 => string.Join(' ', name.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..])),
        _ => " " + name.Replace(" ", "  ", StringComparison.Ordinal),
    };
}
