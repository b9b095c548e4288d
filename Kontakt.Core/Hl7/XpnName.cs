namespace Kontakt.Core.Hl7;

/// <summary>
/// A person's name from PID-5 (XPN, repeating), composed the way every input composes it: given name
/// (component 2), further given names (component 3), family name (component 1, its first subcomponent,
/// the surname), single spaces. Prefix, suffix and degree are not part of the identity and are left out.
/// </summary>
internal static class XpnName
{
    /// <summary>XPN.7, name type code: <c>L</c> is the legal name.</summary>
    private const int NameTypeComponent = 7;

    /// <summary>
    /// The repetition to use: the first with name type <c>L</c>, else the first that is not empty.
    /// Null when every repetition is empty.
    /// </summary>
    public static string? Choose(string field, Hl7Delimiters delimiters)
    {
        var repetitions = field.Split(delimiters.Repetition);
        var legal = repetitions.FirstOrDefault(r => Hl7Segment.Part(r, delimiters.Component, NameTypeComponent) == "L");
        return legal ?? repetitions.FirstOrDefault(r => !AdtFields.IsEmpty(r));
    }

    /// <summary>The composed name of one repetition; false when a part cannot be decoded.</summary>
    public static bool TryCompose(string repetition, Hl7Delimiters delimiters, out string name)
    {
        name = "";
        var family = Hl7Segment.Part(Hl7Segment.Part(repetition, delimiters.Component, 1), delimiters.Subcomponent, 1);
        var given = Hl7Segment.Part(repetition, delimiters.Component, 2);
        var further = Hl7Segment.Part(repetition, delimiters.Component, 3);
        var parts = new List<string>(3);
        foreach (var raw in (ReadOnlySpan<string>)[given, further, family])
        {
            if (AdtFields.IsEmpty(raw))
            {
                continue;
            }
            if (!Hl7Escapes.TryDecode(raw, delimiters, out var part))
            {
                return false;
            }
            parts.Add(part);
        }
        name = SingleSpaces(string.Join(' ', parts));
        return true;
    }

    // Only spaces: a tab or line break inside a name is the validator's to refuse, not this composition's to hide.
    private static string SingleSpaces(string text)
    {
        var spaced = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c != ' ' || (spaced.Length > 0 && spaced[^1] != ' '))
            {
                spaced.Append(c);
            }
        }
        return spaced.ToString().TrimEnd(' ');
    }
}
