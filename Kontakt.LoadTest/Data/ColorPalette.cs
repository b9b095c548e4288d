using Bogus;

namespace Kontakt.LoadTest.Data;

/// <summary>Favorite colors: Bogus' commerce colors plus long CSS color names.</summary>
public sealed class ColorPalette
{
    private static readonly string[] LongCssNames =
    [
        "LightGoldenRodYellow", "MediumSpringGreen", "BlanchedAlmond", "MediumAquaMarine", "LavenderBlush",
        "DarkOliveGreen", "PaleVioletRed", "MediumSlateBlue", "LightSlateGray", "CornflowerBlue",
        "PapayaWhip", "DarkGoldenRod", "MediumTurquoise", "AntiqueWhite", "LightSeaGreen",
    ];

    private readonly string[] _colors;

    private ColorPalette(string[] colors) => _colors = colors;

    public int Count => _colors.Length;

    public string this[int index] => _colors[index];

    public static IReadOnlyList<string> LongNames => LongCssNames;

    public static ColorPalette Create(int seed)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var colors = new List<string>();
        for (var i = 0; i < 500; i++)
        {
            var color = faker.Commerce.Color();
            if (seen.Add(color))
            {
                colors.Add(color);
            }
        }
        foreach (var color in LongCssNames)
        {
            if (seen.Add(color))
            {
                colors.Add(color);
            }
        }
        return new ColorPalette([.. colors]);
    }

    /// <summary>A color index other than <paramref name="current"/>.</summary>
    public int PickOther(int current, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var next = random.Next(_colors.Length - 1);
        return next >= current ? next + 1 : next;
    }
}
