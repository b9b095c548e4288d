namespace Kontakt.Api.Fhir;

/// <summary>What the client asked to get back after a create (<c>Prefer: return=…</c>); representation unless it said otherwise.</summary>
internal enum FhirReturn
{
    Representation,
    Minimal,
    OperationOutcome,
}

internal static class FhirPrefer
{
    public static FhirReturn ReturnOf(HttpRequest request)
    {
        foreach (var value in request.Headers.GetCommaSeparatedValues("Prefer"))
        {
            var preference = value.Trim();
            if (preference.Equals("return=minimal", StringComparison.OrdinalIgnoreCase))
            {
                return FhirReturn.Minimal;
            }
            if (preference.Equals("return=OperationOutcome", StringComparison.OrdinalIgnoreCase))
            {
                return FhirReturn.OperationOutcome;
            }
            if (preference.Equals("return=representation", StringComparison.OrdinalIgnoreCase))
            {
                return FhirReturn.Representation;
            }
        }
        return FhirReturn.Representation;
    }

    public static string HeaderValue(FhirReturn preference) => preference switch
    {
        FhirReturn.Minimal => "return=minimal",
        FhirReturn.OperationOutcome => "return=OperationOutcome",
        _ => "return=representation",
    };
}
