using System.Globalization;

namespace Kontakt.Core.Hl7;

/// <summary>
/// A date of birth from PID-7 (TS/DTM: <c>YYYYMMDD[HH[MM[SS[.S[S[S[S]]]]]]][+/-ZZZZ]</c>): its first 8 digits
/// are the date; the time and zone, when present, must be well formed and are otherwise ignored.
/// A date with less than day precision (<c>1985</c>, <c>198512</c>) is not a date of birth Kontakt can use.
/// </summary>
internal static class Hl7Date
{
    /// <summary>The date as <c>YYYY-MM-DD</c> (the record contract's form); false when <paramref name="value"/> is not of the form above.</summary>
    public static bool TryRead(string value, out string dob)
    {
        dob = "";
        if (value.Length < 8 || !AllDigits(value.AsSpan(0, 8)))
        {
            return false;
        }
        var rest = value.AsSpan(8);
        var zone = rest.IndexOfAny('+', '-');
        var time = zone >= 0 ? rest[..zone] : rest;
        if (zone >= 0 && (rest.Length - zone != 5 || !AllDigits(rest[(zone + 1)..])))
        {
            return false;
        }
        var dot = time.IndexOf('.');
        var whole = dot >= 0 ? time[..dot] : time;
        if (whole.Length is not (0 or 2 or 4 or 6) || !AllDigits(whole))
        {
            return false;
        }
        if (dot >= 0 && (whole.Length != 6 || time.Length - dot - 1 is < 1 or > 4 || !AllDigits(time[(dot + 1)..])))
        {
            return false;
        }
        dob = string.Create(CultureInfo.InvariantCulture, $"{value.AsSpan(0, 4)}-{value.AsSpan(4, 2)}-{value.AsSpan(6, 2)}");
        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
