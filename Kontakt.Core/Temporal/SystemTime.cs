using System.Globalization;

namespace Kontakt.Core.Temporal;

/// <summary>
/// System time as Kontakt uses it: the moment Kontakt committed a change, UTC, microsecond
/// precision (PostgreSQL's). Parsing requires an explicit offset so "10:03" is never guessed.
/// </summary>
public static class SystemTime
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd' 'HH:mm:ssK",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Parses an ISO 8601 date-time with a UTC offset or <c>Z</c>; truncates to microseconds.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || !HasOffset(text))
        {
            return false;
        }
        if (!DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }
        value = Truncate(parsed.ToUniversalTime());
        return true;
    }

    /// <summary>Cuts below microseconds: stamps are whole microseconds, so this changes no comparison.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>The canonical text of a system time: <c>2026-11-23T10:03:00.000000Z</c>.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static bool HasOffset(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith('Z') || trimmed.EndsWith('z'))
        {
            return true;
        }
        // An offset is +hh:mm / -hh:mm after the time part (the date's own dashes come before 'T').
        var timeStart = trimmed.IndexOfAny(['T', 't', ' ']);
        return timeStart > 0 && trimmed.IndexOfAny(['+', '-'], timeStart) > 0;
    }
}
