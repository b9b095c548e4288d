namespace Kontakt.Tests.Hl7;

/// <summary>ADT messages written for the tests, with every part a test may want to change.</summary>
internal static class AdtMessages
{
    public static string Build(
        string trigger = "A01",
        string version = "2.5.1",
        string processingId = "P",
        string controlId = "MSG00001",
        string pid5 = "Lovelace^Ada",
        string pid7 = "19851210",
        string? color = "green",
        string? charset = null,
        string application = "EPIC",
        string facility = "NORTH",
        string segmentEnd = "\r",
        string type = "ADT")
    {
        var msh = $"MSH|^~\\&|{application}|{facility}|KONTAKT|KONTAKT-FAC|20261202080000||{type}^{trigger}^ADT_A01|{controlId}|{processingId}|{version}"
            + (charset is null ? "" : $"||||||{charset}");
        var segments = new List<string>
        {
            msh,
            $"EVN|{trigger}|20261202080000",
            $"PID|1||12345^^^HOSP^MR||{pid5}||{pid7}|F",
            "PV1|1|O",
        };
        if (color is not null)
        {
            segments.Add("OBX|1|NM|8302-2^Body height^LN||170|cm|||||F");
            segments.Add($"OBX|2|ST|favorite-color^Favorite color^L||{color}||||||F");
        }
        return string.Join(segmentEnd, segments) + segmentEnd;
    }

    /// <summary>A unique control ID, for tests on a shared database.</summary>
    public static string NewControlId() => "T" + Guid.NewGuid().ToString("N")[..19];
}
