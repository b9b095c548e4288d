using System.Globalization;
using System.Text.RegularExpressions;

namespace Kontakt.Tests.Support;

/// <summary>Reads samples out of a Prometheus text exposition (what <c>/metrics</c> answers).</summary>
public static partial class PrometheusText
{
    /// <summary>
    /// The value of the one sample named <paramref name="name"/> whose labels are exactly <paramref name="labels"/>
    /// (<c>reason="invalid"</c>; none for an unlabelled series, written <c>name</c> or <c>name{}</c>).
    /// </summary>
    public static double Value(string exposition, string name, params (string Label, string Value)[] labels)
    {
        var wanted = labels.OrderBy(l => l.Label, StringComparer.Ordinal).Select(l => $"{l.Label}={l.Value}");
        var matches = Samples(exposition)
            .Where(s => s.Name == name && s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}").SequenceEqual(wanted))
            .ToList();
        Assert.True(matches.Count == 1, $"expected one sample {name}{{{string.Join(",", wanted)}}}, found {matches.Count}");
        return matches[0].Value;
    }

    /// <summary>Every sample line: name, labels, value.</summary>
    public static IEnumerable<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string exposition)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var text => double.Parse(text, CultureInfo.InvariantCulture),
            };
            yield return (match.Groups["name"].Value, labels, value);
        }
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(""""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)"""")]
    private static partial Regex LabelPair();
}
