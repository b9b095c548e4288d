using System.Globalization;
using Hl7.Fhir.Model;
using Kontakt.Api.Endpoints;
using Kontakt.Api.Security;
using Kontakt.Core.Fhir;
using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Kontakt.Core.Temporal;

namespace Kontakt.Api.Fhir;

/// <summary>
/// <c>/fhir</c>: FHIR R4 over JSON (docs/fhir.md). Patients come in through the same validation,
/// identity resolution and writers as JSON records; reads give the public Patient, never PHI.
/// Mapped in three parts because each is opened for other roles (KontaktServices.UseKontakt).
/// </summary>
public static class FhirApi
{
    public const int MaxPatientBodyBytes = 1024 * 1024;
    public const int MaxBundleBodyBytes = 64 * 1024 * 1024;
    public const int DefaultHistoryCount = 100;
    public const int MaxHistoryCount = 1000;

    private const string Tag = "FHIR R4";

    /// <summary><c>GET /fhir/metadata</c>: describes the endpoint and holds no data, so it is open like Swagger.</summary>
    public static IEndpointRouteBuilder MapFhirMetadataApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/fhir").WithTags(Tag).MapGet("/metadata", GetCapabilityStatement)
            .WithName("FhirCapabilityStatement")
            .WithSummary("The FHIR CapabilityStatement: what this FHIR R4 endpoint supports")
            .WithDescription("FHIR version 4.0.1, JSON only. Lists exactly the interactions Kontakt supports: Patient create, read and history; batch and transaction Bundles; $import. Needs no key.")
            .Produces(StatusCodes.Status200OK, typeof(object), FhirResult.ContentType);
        return routes;
    }

    /// <summary>Writes: Patient create and Bundles (ingest role).</summary>
    public static IEndpointRouteBuilder MapFhirIngestApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/fhir").WithTags(Tag);
        group.MapPost("/Patient", CreatePatientAsync)
            .WithName("FhirCreatePatient")
            .WithSummary("Store a FHIR R4 Patient as a record: 201 for a new person, 200 for one already known")
            .WithDescription(
                "The body is a FHIR R4 Patient (application/fhir+json). Name: the official HumanName (else the first), its text, else given names then family; " +
                "birthDate a full date; favorite color from the extension https://kontakt.example/fhir/StructureDefinition/favorite-color (valueString, optional). " +
                "Answers once committed, with Location: /fhir/Patient/{id} and the public Patient (no name, no birthDate); " +
                "Prefer: return=minimal | representation | OperationOutcome. Errors are OperationOutcomes naming the element, never the value.")
            .WithMetadata(new OpenApi.FhirRequestBody(FhirExamples.Patient))
            .Produces(StatusCodes.Status201Created, typeof(object), FhirResult.ContentType)
            .Produces(StatusCodes.Status200OK, typeof(object), FhirResult.ContentType)
            .ProducesFhirOutcomes(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
                StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout);

        group.MapPost("/", PostBundleAsync)
            .WithName("FhirBundle")
            .WithSummary("Process a batch or transaction Bundle of Patient creates (up to 10,000 entries)")
            .WithDescription(
                "batch: each entry answered on its own in a batch-response, in order (201 Created, 200 OK, 400 Bad Request with an OperationOutcome; " +
                "entries of other resource types 404 not supported). transaction: all or nothing — any invalid or unsupported entry refuses the " +
                "whole Bundle with a 400 OperationOutcome and nothing is stored; otherwise every Patient is committed in one database transaction.")
            .WithMetadata(new OpenApi.FhirRequestBody(FhirExamples.Bundle))
            .Produces(StatusCodes.Status200OK, typeof(object), FhirResult.ContentType)
            .ProducesFhirOutcomes(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
                StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout);
        return routes;
    }

    /// <summary>Reads of the public store (analyst role): no PHI, so no access event.</summary>
    public static IEndpointRouteBuilder MapFhirReadApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/fhir/Patient").WithTags(Tag);
        group.MapGet("/{id}", ReadPatientAsync)
            .WithName("FhirReadPatient")
            .WithSummary("Read the public Patient: id, meta.lastUpdated and the favorite-color extension")
            .WithDescription("The public view of the person as a FHIR Patient; never a name or a birth date.")
            .Produces(StatusCodes.Status200OK, typeof(object), FhirResult.ContentType)
            .ProducesFhirOutcomes(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/_history", ReadHistoryAsync)
            .WithName("FhirPatientHistory")
            .WithSummary("The Patient's public versions as a history Bundle, newest first")
            .WithDescription(
                $"Each entry is one public version (meta.lastUpdated = when it became current). `_count` versions per page (default {DefaultHistoryCount}, " +
                $"1–{MaxHistoryCount}); a `next` link carries on with older versions.")
            .Produces(StatusCodes.Status200OK, typeof(object), FhirResult.ContentType)
            .ProducesFhirOutcomes(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return routes;
    }

    internal static RouteHandlerBuilder ProducesFhirOutcomes(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            endpoint.Produces(status, typeof(object), FhirResult.ContentType);
        }
        return endpoint;
    }

    public static FhirResult GetCapabilityStatement(HttpRequest request) =>
        new(StatusCodes.Status200OK, FhirCapabilities.Create(BaseUrl(request)));

    public static async Task<FhirResult> CreatePatientAsync(
        HttpContext http,
        FhirPatientMapping mapping,
        RecordValidator validator,
        FhirIngest ingest,
        PublicPatientQueries publicPatients,
        IngestObserver observer,
        CancellationToken cancellationToken)
    {
        var body = await FhirBody.ReadAsync(http.Request, MaxPatientBodyBytes, cancellationToken);
        if (body.Problem is { } unreadable)
        {
            observer.RecordsRejected(1);
            return unreadable;
        }
        var errors = new List<FieldError>();
        var record = mapping.Validate(body.Bytes.Span, KontaktClaims.ClientOf(http), validator.Now(), errors);
        if (record is null)
        {
            observer.RecordsRejected(1);
            return FhirOutcomes.BadRequest(errors);
        }
        var committed = await ingest.StoreAsync([record], atomic: false, cancellationToken);
        if (committed.Problem is { } problem)
        {
            return problem;
        }
        var outcome = committed.Outcomes![0];
        if (FhirOutcomes.NotStored(outcome) is { } notStored)
        {
            return notStored;
        }
        var result = outcome is RecordOutcome.Stored stored ? stored.Result : ((RecordOutcome.Replayed)outcome).Result;

        var status = result.NewPatient ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        var location = FhirPublicPatient.Location(result.PatientId);
        var preference = FhirPrefer.ReturnOf(http.Request);
        Resource? answer = preference switch
        {
            FhirReturn.Minimal => null,
            FhirReturn.OperationOutcome => FhirOutcomes.Issue(OperationOutcome.IssueType.Informational,
                result.NewPatient ? "Stored: a new patient was created." : "Stored: the person was already known; the record was added to the existing patient.",
                severity: OperationOutcome.IssueSeverity.Information),
            _ => await PublicPatientAsync(publicPatients, result.PatientId, cancellationToken),
        };
        return new FhirResult(status, answer) { Location = location, PreferenceApplied = FhirPrefer.HeaderValue(preference) };
    }

    public static async Task<FhirResult> PostBundleAsync(
        HttpContext http,
        FhirBundles bundles,
        BatchBodyGate gate,
        IngestObserver observer,
        CancellationToken cancellationToken)
    {
        using var place = await gate.EnterAsync(cancellationToken);
        if (place is null)
        {
            observer.RecordsOverloaded(1);
            return FhirOutcomes.Status(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient,
                "Too many Bundles are being read at once; nothing was stored. Retry after the indicated delay.", retryAfterSeconds: 1);
        }
        var body = await FhirBody.ReadAsync(http.Request, MaxBundleBodyBytes, cancellationToken);
        if (body.Problem is { } unreadable)
        {
            observer.RecordsRejected(1);
            return unreadable;
        }
        return await bundles.ProcessAsync(body.Bytes, KontaktClaims.ClientOf(http), cancellationToken);
    }

    public static async Task<FhirResult> ReadPatientAsync(string id, PublicPatientQueries publicPatients, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(id, "D", out var patientId))
        {
            return NoSuchPatient();
        }
        var patient = await PublicPatientAsync(publicPatients, patientId, cancellationToken);
        return patient is null ? NoSuchPatient() : new FhirResult(StatusCodes.Status200OK, patient);
    }

    public static async Task<FhirResult> ReadHistoryAsync(
        string id,
        HttpRequest request,
        PatientTimeline timeline,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(id, "D", out var patientId))
        {
            return NoSuchPatient();
        }
        var count = DefaultHistoryCount;
        if (request.Query["_count"] is { Count: > 0 } countText
            && (!int.TryParse(countText[0], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxHistoryCount))
        {
            return FhirOutcomes.BadRequest("_count", $"must be a whole number from 1 to {MaxHistoryCount}.");
        }
        DateTimeOffset? before = null;
        if (request.Query["_page"] is { Count: > 0 } pageText)
        {
            if (!HistoryCursor.TryDecode(pageText[0], out var oldestServed))
            {
                return FhirOutcomes.BadRequest("_page", "must be the token of a previous page's next link.");
            }
            before = oldestServed;
        }
        var page = await timeline.NewestFirstPageAsync(patientId, before, count, cancellationToken);
        if (page.Versions.Count == 0 && before is null)
        {
            return NoSuchPatient();
        }

        var baseUrl = BaseUrl(request);
        var self = $"{baseUrl}/Patient/{patientId:D}/_history";
        var bundle = new Bundle { Type = Bundle.BundleType.History };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = self + request.QueryString });
        if (page.HasMore)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{self}?_count={count}&_page={HistoryCursor.Encode(page.Versions[^1].ValidFrom)}" });
        }
        for (var i = 0; i < page.Versions.Count; i++)
        {
            var version = page.Versions[i];
            // The oldest version of all is the one that created the patient.
            var first = !page.HasMore && i == page.Versions.Count - 1;
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/Patient/{patientId:D}",
                Resource = FhirPublicPatient.Create(patientId, version.FavoriteColor, version.ValidFrom),
                Request = new Bundle.RequestComponent
                {
                    Method = first ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT,
                    Url = first ? "Patient" : $"Patient/{patientId:D}",
                },
                Response = new Bundle.ResponseComponent
                {
                    Status = first ? "201 Created" : "200 OK",
                    LastModified = version.ValidFrom,
                },
            });
        }
        return new FhirResult(StatusCodes.Status200OK, bundle);
    }

    private static async Task<Patient?> PublicPatientAsync(PublicPatientQueries publicPatients, Guid patientId, CancellationToken cancellationToken) =>
        await publicPatients.FindCurrentAsync(patientId, cancellationToken) is { } view
            ? FhirPublicPatient.Create(view.PatientId, view.FavoriteColor, view.UpdatedAt)
            : null;

    private static FhirResult NoSuchPatient() => FhirOutcomes.NotFound("No patient has this ID.");

    internal static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir";
}
