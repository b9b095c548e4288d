using System.Globalization;

namespace Kontakt.Core.Hl7;

/// <summary>Where in a message an error is (HL7's ERL data type): segment, its occurrence, field and component.</summary>
/// <param name="Segment">The segment ID, such as <c>PID</c>.</param>
/// <param name="Sequence">Which occurrence of the segment (1 for the first).</param>
/// <param name="Field">The field number; null for the segment as a whole.</param>
/// <param name="Component">The component number; null for the field as a whole.</param>
public sealed record Hl7Location(string Segment, int Sequence = 1, int? Field = null, int? Component = null)
{
    /// <summary>The usual notation: <c>PID-7</c>, <c>MSH-9.2</c>, <c>OBX[2]-5</c> (second OBX), <c>PID</c>.</summary>
    public override string ToString()
    {
        var text = Sequence == 1 ? Segment : string.Create(CultureInfo.InvariantCulture, $"{Segment}[{Sequence}]");
        if (Field is { } field)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"-{field}");
            if (Component is { } component)
            {
                text += string.Create(CultureInfo.InvariantCulture, $".{component}");
            }
        }
        return text;
    }
}
