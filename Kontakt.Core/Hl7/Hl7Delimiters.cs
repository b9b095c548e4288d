namespace Kontakt.Core.Hl7;

/// <summary>
/// The separators of one HL7 v2 message, read from its MSH segment: the field separator (MSH-1) and the
/// encoding characters (MSH-2: component, repetition, escape, subcomponent and, from v2.7, truncation).
/// </summary>
/// <param name="Field">Separates fields (usually <c>|</c>).</param>
/// <param name="Component">Separates components (usually <c>^</c>).</param>
/// <param name="Repetition">Separates repetitions of a field (usually <c>~</c>).</param>
/// <param name="Escape">Starts and ends an escape sequence (usually <c>\</c>).</param>
/// <param name="Subcomponent">Separates subcomponents (usually <c>&amp;</c>).</param>
/// <param name="Truncation">The v2.7 truncation character (usually <c>#</c>), when MSH-2 names one.</param>
public sealed record Hl7Delimiters(char Field, char Component, char Repetition, char Escape, char Subcomponent, char? Truncation)
{
    /// <summary>The delimiters nearly every system uses: <c>|^~\&amp;</c>.</summary>
    public static Hl7Delimiters Default { get; } = new('|', '^', '~', '\\', '&', null);

    /// <summary>MSH-2 as it is written for these delimiters.</summary>
    public string EncodingCharacters => Truncation is { } truncation
        ? new string([Component, Repetition, Escape, Subcomponent, truncation])
        : new string([Component, Repetition, Escape, Subcomponent]);

    /// <summary>
    /// Reads the delimiters from the start of an MSH segment (<c>MSH|^~\&amp;|…</c>). False when the segment
    /// does not start so, or names delimiters that cannot work: fewer than four or more than five encoding
    /// characters, a repeated one, or a letter, digit, space or control character among them.
    /// </summary>
    public static bool TryRead(string mshSegment, out Hl7Delimiters delimiters)
    {
        ArgumentNullException.ThrowIfNull(mshSegment);
        delimiters = Default;
        if (mshSegment.Length < 8 || !mshSegment.StartsWith("MSH", StringComparison.Ordinal))
        {
            return false;
        }
        var field = mshSegment[3];
        var end = mshSegment.IndexOf(field, 4);
        var encoding = end < 0 ? mshSegment[4..] : mshSegment[4..end];
        if (encoding.Length is < 4 or > 5)
        {
            return false;
        }
        var all = field + encoding;
        for (var i = 0; i < all.Length; i++)
        {
            var c = all[i];
            if (char.IsLetterOrDigit(c) || char.IsWhiteSpace(c) || char.IsControl(c) || all.IndexOf(c, i + 1) >= 0)
            {
                return false;
            }
        }
        delimiters = new Hl7Delimiters(field, encoding[0], encoding[1], encoding[2], encoding[3], encoding.Length == 5 ? encoding[4] : null);
        return true;
    }
}
