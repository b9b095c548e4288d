namespace Kontakt.Core.Hl7;

/// <summary>What an empty value is in HL7 v2: nothing sent, or <c>""</c> (the explicit null).</summary>
internal static class AdtFields
{
    public static bool IsEmpty(string raw) => raw.Length == 0 || raw == "\"\"";
}
