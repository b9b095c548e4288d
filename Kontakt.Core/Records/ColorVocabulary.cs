using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Kontakt.Core.Records;

/// <summary>
/// The colors <c>favoriteColor</c> may hold: the CSS named colors and the xkcd color-survey names
/// (data files in Records/Colors, embedded at build time), plus <c>#rgb</c> and <c>#rrggbb</c>.
/// A color is matched ignoring ASCII case, with surrounding whitespace trimmed and inner runs of
/// whitespace read as one space; its canonical form is written that way, in lower case. Spaces are
/// significant: <c>sky blue</c> (xkcd) and <c>skyblue</c> (CSS) are two colors. Free text in the
/// anonymized store is where PHI leaks, and canonical names are what analysts can group by.
/// </summary>
public sealed class ColorVocabulary
{
    /// <summary>Source label of the CSS Color Module Level 4 named colors.</summary>
    public const string CssSource = "css";

    /// <summary>Source label of the xkcd color-survey names.</summary>
    public const string XkcdSource = "xkcd";

    /// <summary>Longest color accepted as sent, surrounding whitespace included (the audit store keeps it as sent).</summary>
    public const int MaxLengthAsSent = 64;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    private readonly FrozenSet<string> _names;

    private ColorVocabulary(IReadOnlyList<ColorName> names, string version)
    {
        Names = names;
        Version = version;
        _names = names.Select(n => n.Name).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The vocabulary shipped with Kontakt, loaded once.</summary>
    public static ColorVocabulary Default { get; } = Load();

    /// <summary>Every name, in ordinal order.</summary>
    public IReadOnlyList<ColorName> Names { get; }

    /// <summary>SHA-256 (lowercase hex) of the data files: changes exactly when the vocabulary does.</summary>
    public string Version { get; }

    /// <summary>
    /// The canonical form of <paramref name="sent"/> when it is a color of the vocabulary or a hex color;
    /// false for anything else, including text longer than <see cref="MaxLengthAsSent"/>.
    /// </summary>
    public bool TryCanonicalize(string sent, [NotNullWhen(true)] out string? canonical)
    {
        ArgumentNullException.ThrowIfNull(sent);
        canonical = null;
        if (sent.Length > MaxLengthAsSent)
        {
            return false;
        }
        var folded = Fold(sent);
        if (IsHexColor(folded) || _names.Contains(folded))
        {
            canonical = folded;
            return true;
        }
        return false;
    }

    // Only ASCII letters are folded: a look-alike such as the Kelvin sign (U+212A) must not become "k".
    private static string Fold(string sent)
    {
        var collapsed = WhitespaceRuns.Collapse(sent);
        return string.Create(collapsed.Length, collapsed, static (folded, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                folded[i] = char.IsAsciiLetterUpper(text[i]) ? (char)(text[i] | 0x20) : text[i];
            }
        });
    }

    private static bool IsHexColor(string folded) =>
        folded.Length is 4 or 7 && folded[0] == '#' && !folded.AsSpan(1).ContainsAnyExcept(HexDigits);

    private static ColorVocabulary Load()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sources = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var source in new[] { CssSource, XkcdSource })
        {
            var text = ReadResource(source);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            foreach (var name in ParseNames(source, text))
            {
                if (!sources.TryGetValue(name, out var labels))
                {
                    sources[name] = labels = [];
                }
                labels.Add(source);
            }
        }
        var names = sources.Select(entry => new ColorName(entry.Key, entry.Value.AsReadOnly())).ToArray();
        return new ColorVocabulary(names, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string ReadResource(string source)
    {
        var resource = $"Kontakt.Core.Records.Colors.{source}.csv";
        using var stream = typeof(ColorVocabulary).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded color list {resource} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // name,hex with a header row; no name contains a comma or a quote (checked here, so a bad edit fails loudly).
    private static IEnumerable<string> ParseNames(string source, string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || lines[0] != "name,hex")
        {
            throw new InvalidOperationException($"The color list {source}.csv must start with the header row name,hex.");
        }
        foreach (var line in lines.Skip(1))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            var name = comma < 0 ? line : line[..comma];
            if (comma < 0 || name.Length == 0 || Fold(name) != name || name.Contains('"', StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The color list {source}.csv has a line that is not a canonical name,hex pair.");
            }
            yield return name;
        }
    }
}
