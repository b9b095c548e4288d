using Hl7.Fhir.Model;

namespace Kontakt.Api.Fhir;

/// <summary>
/// The CapabilityStatement of <c>GET /fhir/metadata</c>: exactly what Kontakt's FHIR endpoint does —
/// Patient create, read and instance history; batch and transaction Bundles of Patient creates; the $import operation (NDJSON of Patients as the body); JSON only.
/// </summary>
internal static class FhirCapabilities
{
    // The day this statement last changed; FHIR requires a date, and today's would change on every call.
    private const string Published = "2026-12-02";

    public static CapabilityStatement Create(string baseUrl) => new()
    {
        Status = PublicationStatus.Active,
        Date = Published,
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "Kontakt" },
        Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = "Kontakt patient-record ingest: FHIR R4 Patients become Kontakt records (name, birth date, favorite color); " +
                          "reads return the public Patient (id, meta.lastUpdated, favorite-color extension) and never a name or birth date.",
            Url = baseUrl,
        },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["application/fhir+json", "json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = "Every interaction but this statement needs an API key in X-Api-Key (or a JWT bearer token): " +
                                "create, batch and transaction need the ingest role; read and history the analyst or admin role. " +
                                "A create resolves the person's identity (name and birth date) like a conditional create: " +
                                "a new person answers 201, a person already known 200, both with Location: /fhir/Patient/{id}.",
                Security = new CapabilityStatement.SecurityComponent
                {
                    Description = "API key in the X-Api-Key header (roles ingest, analyst, auditor, admin), or a JWT bearer token when configured.",
                },
                Resource =
                [
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "Patient",
                        Interaction =
                        [
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.HistoryInstance },
                        ],
                        Versioning = CapabilityStatement.ResourceVersionPolicy.NoVersion,
                        ReadHistory = false,
                        UpdateCreate = false,
                        ConditionalCreate = false,
                        ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
                        ConditionalUpdate = false,
                        ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
                        Documentation = "Name: the official HumanName (else the first): its text, else given names then family, single spaces " +
                                        "(prefix and suffix left out). birthDate: a full date (YYYY-MM-DD) from 1900-01-01 to today. " +
                                        "Favorite color: extension https://kontakt.example/fhir/StructureDefinition/favorite-color (valueString, " +
                                        "a CSS or xkcd color name or #rgb/#rrggbb), optional. Other elements are accepted when valid FHIR R4 and not stored. " +
                                        "Prefer: return=minimal | representation | OperationOutcome.",
                    },
                ],
                Interaction =
                [
                    new CapabilityStatement.SystemInteractionComponent
                    {
                        Code = CapabilityStatement.SystemRestfulInteraction.Batch,
                        Documentation = "Up to 10,000 entries; each Patient POST answered on its own, other resource types 404 (not supported).",
                    },
                    new CapabilityStatement.SystemInteractionComponent
                    {
                        Code = CapabilityStatement.SystemRestfulInteraction.Transaction,
                        Documentation = "Up to 10,000 Patient POST entries, committed all or nothing; any invalid or unsupported entry refuses the whole Bundle.",
                    },
                ],
                Operation =
                [
                    new CapabilityStatement.OperationComponent
                    {
                        Name = "import",
                        Definition = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/import",
                        Documentation = "POST /fhir/$import with the NDJSON of Patients as the body (Content-Type: application/fhir+ndjson, " +
                                        "Prefer: respond-async); Kontakt fetches no URLs. 202 with Content-Location: /fhir/$import-status/{jobId}; " +
                                        "polling answers 202 with X-Progress, then 200 with the Bulk Data manifest whose error file holds one " +
                                        "OperationOutcome per rejected line. DELETE on the status URL cancels.",
                    },
                ],
            },
        ],
    };
}
