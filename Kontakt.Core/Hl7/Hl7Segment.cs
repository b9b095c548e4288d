namespace Kontakt.Core.Hl7;

/// <summary>
/// One segment of a message, split into fields as sent (escape sequences still in place). Fields are
/// numbered as the standard numbers them: <c>Field(5)</c> of a PID segment is PID-5, and for the MSH
/// segment <c>Field(1)</c> is the field separator itself and <c>Field(2)</c> the encoding characters.
/// </summary>
public sealed class Hl7Segment
{
    private readonly string[] _fields;

    internal Hl7Segment(string[] fields)
    {
        _fields = fields;
    }

    /// <summary>The segment ID: <c>MSH</c>, <c>PID</c>, <c>OBX</c>, …</summary>
    public string Id => _fields[0];

    /// <summary>Number of the last field present.</summary>
    public int FieldCount => _fields.Length - 1;

    /// <summary>Field <paramref name="number"/> as sent; empty when absent.</summary>
    public string Field(int number) => number >= 1 && number < _fields.Length ? _fields[number] : "";

    /// <summary>
    /// Part <paramref name="number"/> (1-based) of <paramref name="raw"/> split at <paramref name="separator"/>:
    /// a repetition's component, a component's subcomponent. Empty when absent.
    /// </summary>
    public static string Part(string raw, char separator, int number)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var start = 0;
        for (var i = 1; i < number; i++)
        {
            var next = raw.IndexOf(separator, start);
            if (next < 0)
            {
                return "";
            }
            start = next + 1;
        }
        var end = raw.IndexOf(separator, start);
        return end < 0 ? raw[start..] : raw[start..end];
    }
}
