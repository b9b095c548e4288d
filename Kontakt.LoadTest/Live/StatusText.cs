using System.Globalization;
using Kontakt.LoadTest.Load;

namespace Kontakt.LoadTest.Live;

/// <summary>Attempt counts by status as one short line: <c>201: 12,000 · 503: 17</c>.</summary>
public static class StatusText
{
    public static string Format(IReadOnlyDictionary<int, long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.Count == 0
            ? "none yet"
            : string.Join(" · ", counts.Select(p => AttemptStatus.Describe(p.Key) + ": " + p.Value.ToString("N0", CultureInfo.InvariantCulture)));
    }
}
