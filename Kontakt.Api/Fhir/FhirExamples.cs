namespace Kontakt.Api.Fhir;

/// <summary>Example request bodies for the OpenAPI document (and docs/fhir.md shows the same).</summary>
internal static class FhirExamples
{
    public const string Patient = """
        {
          "resourceType": "Patient",
          "name": [{ "use": "official", "prefix": ["Ms."], "given": ["Ada"], "family": "Lovelace" }],
          "birthDate": "1985-12-10",
          "extension": [{ "url": "https://kontakt.example/fhir/StructureDefinition/favorite-color", "valueString": "sky blue" }]
        }
        """;

    public const string Bundle = """
        {
          "resourceType": "Bundle",
          "type": "batch",
          "entry": [
            {
              "resource": { "resourceType": "Patient", "name": [{ "given": ["Ada"], "family": "Lovelace" }], "birthDate": "1985-12-10" },
              "request": { "method": "POST", "url": "Patient" }
            },
            {
              "resource": { "resourceType": "Patient", "name": [{ "text": "Charles Babbage" }], "birthDate": "1991-12-26" },
              "request": { "method": "POST", "url": "Patient" }
            }
          ]
        }
        """;
}
