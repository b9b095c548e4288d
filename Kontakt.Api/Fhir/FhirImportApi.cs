using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Kontakt.Api.Endpoints;
using Kontakt.Api.Hosting;
using Kontakt.Core.Imports;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Fhir;

/// <summary>
/// <c>POST /fhir/$import</c> (FHIR Bulk Data style, docs/fhir.md): the body is NDJSON of Patients, stored
/// as an import job of format <c>fhir-ndjson</c> by the same engine as <c>/v1/imports</c>. Kontakt fetches
/// no URLs. The status of a job is polled at <c>/fhir/$import-status/{jobId}</c>.
/// </summary>
public static class FhirImportApi
{
    public const string StatusPath = "/fhir/$import-status";

    /// <summary>The extension on each error OperationOutcome whose <c>valueInteger</c> is the input line (1-based).</summary>
    public const string LineExtensionUrl = "https://kontakt.example/fhir/StructureDefinition/import-line";

    private const string Tag = "FHIR R4";
    private static readonly FhirJsonSerializer Serializer = new();
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Kick-off, status, cancel and error file (ingest role; a key sees its own jobs).</summary>
    public static IEndpointRouteBuilder MapFhirImportApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/fhir/$import", KickOffAsync).WithTags(Tag)
            .WithName("FhirImport")
            .WithSummary("Import an NDJSON file of FHIR R4 Patients as a job (Prefer: respond-async)")
            .WithDescription(
                "The body is the file (Content-Type: application/fhir+ndjson), one Patient per line; Kontakt fetches no URLs. " +
                "Prefer: respond-async is required. The file is stored before the answer: 202 with Content-Location: /fhir/$import-status/{jobId}. " +
                "The same file again from the same key answers 202 with the existing job's Content-Location.")
            .ProducesFhirOutcomes(StatusCodes.Status202Accepted, StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType);
        var status = routes.MapGroup(StatusPath).WithTags(Tag);
        status.MapGet("/{jobId}", GetStatusAsync)
            .WithName("FhirImportStatus")
            .WithSummary("Poll an $import job: 202 with X-Progress while it runs, then 200 with the Bulk Data manifest")
            .WithDescription(
                "202 (no body) with X-Progress and Retry-After while the job is queued or running; 200 with the Bulk Data manifest once completed " +
                "(output: Patients stored; error: the error file when lines were rejected); 500 OperationOutcome if the job failed; 404 once cancelled.")
            .Produces<FhirImportManifest>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesFhirOutcomes(StatusCodes.Status404NotFound, StatusCodes.Status500InternalServerError);
        status.MapDelete("/{jobId}", CancelAsync)
            .WithName("FhirImportCancel")
            .WithSummary("Cancel a queued or running $import job (202); lines committed before stay stored")
            .ProducesFhirOutcomes(StatusCodes.Status202Accepted, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        status.MapGet("/{jobId}/errors", GetErrorsAsync)
            .WithName("FhirImportErrors")
            .WithSummary("The error file: one OperationOutcome per rejected line, naming the line and elements, never a value")
            .Produces(StatusCodes.Status200OK, typeof(string), FhirNdjsonImportFormat.FhirNdjsonMediaType)
            .ProducesFhirOutcomes(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<IResult> KickOffAsync(
        HttpContext http,
        ImportJobStore store,
        ImportFormats formats,
        ImportSignal signal,
        IOptions<ImportOptions> options,
        CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (!IsFhirNdjson(request.ContentType) || formats.ByName(FhirNdjsonImportFormat.FormatName) is not { } format)
        {
            return FhirOutcomes.Status(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                $"Send the Patients as {FhirNdjsonImportFormat.FhirNdjsonMediaType}, one per line.");
        }
        if (!request.Headers.GetCommaSeparatedValues("Prefer").Any(p => p.Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase)))
        {
            return FhirOutcomes.BadRequest("Prefer", "must be respond-async: $import always runs as an asynchronous job.");
        }
        var maxBytes = options.Value.MaxBytes;
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Counted while streaming instead (413 past MaxBytes), as on /v1/imports.
            limit.MaxRequestBodySize = null;
        }
        ImportUploadOutcome outcome;
        try
        {
            outcome = await store.UploadAsync(request.Body, ImportsApi.Client(http), format, new ImportFormatOptions(), force: false, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException error)
        {
            return FhirOutcomes.Status(error.StatusCode, OperationOutcome.IssueType.Incomplete,
                "The file could not be read as sent (transfer encoding or timing); nothing was stored.");
        }
        switch (outcome)
        {
            case ImportUploadOutcome.Created created:
                signal.JobQueued();
                return Accepted(created.Job);
            case ImportUploadOutcome.Existing existing:
                return Accepted(existing.Job);
            case ImportUploadOutcome.TooLarge tooLarge:
                return TooLarge(tooLarge.MaxBytes);
            case ImportUploadOutcome.Refused refused:
                return FhirOutcomes.BadRequest(refused.Errors);
            default:
                throw new InvalidOperationException("Unknown upload outcome.");
        }
    }

    public static async Task<IResult> GetStatusAsync(HttpContext http, string jobId, ImportJobStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(http, jobId, store, cancellationToken) is not { } job)
        {
            return NotFound();
        }
        switch (job.Status)
        {
            case ImportJobStatus.Queued or ImportJobStatus.Running:
                http.Response.Headers["X-Progress"] = Progress(job);
                http.Response.Headers.RetryAfter = "2";
                return TypedResults.StatusCode(StatusCodes.Status202Accepted);
            case ImportJobStatus.Completed:
                return TypedResults.Json(Manifest(http.Request, job), FhirImportJsonContext.Default.FhirImportManifest);
            default:
                // Bulk Data: after a DELETE the status URL answers 404; any other failure is an error OperationOutcome.
                return job.Reason == ImportJobStore.CancelledReason
                    ? NotFound()
                    : FhirOutcomes.Status(StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception,
                        $"The import job failed after {job.Received:N0} lines: {job.Reason}");
        }
    }

    public static async Task<IResult> CancelAsync(HttpContext http, string jobId, ImportJobStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(http, jobId, store, cancellationToken) is not { } job)
        {
            return NotFound();
        }
        return await store.CancelAsync(job.JobId, cancellationToken) is not null
            ? FhirOutcomes.Status(StatusCodes.Status202Accepted, OperationOutcome.IssueType.Informational, "The import job is cancelled.")
            : FhirOutcomes.Status(StatusCodes.Status409Conflict, OperationOutcome.IssueType.Conflict,
                $"The job is {job.Status}; only queued or running jobs can be cancelled.");
    }

    public static async Task<IResult> GetErrorsAsync(HttpContext http, string jobId, ImportJobStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(http, jobId, store, cancellationToken) is not { } job)
        {
            return NotFound();
        }
        return TypedResults.Stream(body => WriteErrorsAsync(store.ErrorsAsync(job.JobId, http.RequestAborted), body, http.RequestAborted),
            FhirNdjsonImportFormat.FhirNdjsonMediaType);
    }

    /// <summary>One OperationOutcome per rejected line (the store gives its errors in line order).</summary>
    internal static async System.Threading.Tasks.Task WriteErrorsAsync(IAsyncEnumerable<ImportLineError> errors, Stream body, CancellationToken cancellationToken)
    {
        var lineErrors = new List<ImportLineError>();
        await foreach (var error in errors.WithCancellation(cancellationToken))
        {
            if (lineErrors.Count > 0 && lineErrors[0].Line != error.Line)
            {
                await WriteOutcomeAsync(lineErrors, body, cancellationToken);
                lineErrors.Clear();
            }
            lineErrors.Add(error);
        }
        if (lineErrors.Count > 0)
        {
            await WriteOutcomeAsync(lineErrors, body, cancellationToken);
        }
    }

    internal static OperationOutcome OutcomeOf(IReadOnlyList<ImportLineError> errors)
    {
        var line = errors[0].Line;
        var outcome = new OperationOutcome
        {
            Issue = errors.Select(e =>
            {
                var element = e.Field == "$" ? "Patient" : e.Field;
                return new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Error,
                    Code = OperationOutcome.IssueType.Invalid,
                    Diagnostics = string.Create(CultureInfo.InvariantCulture, $"Line {line}: {element} {e.Reason}"),
                    Expression = [element],
                };
            }).ToList(),
        };
        // FHIR R4 integers are 32-bit; a line beyond that (a file far over the default MaxBytes) keeps its number in diagnostics.
        if (line <= int.MaxValue)
        {
            outcome.Extension.Add(new Extension(LineExtensionUrl, new Integer((int)line)));
        }
        return outcome;
    }

    private static async System.Threading.Tasks.Task WriteOutcomeAsync(IReadOnlyList<ImportLineError> errors, Stream body, CancellationToken cancellationToken)
    {
        var bytes = Serializer.SerializeToBytes(OutcomeOf(errors));
        await body.WriteAsync(bytes, cancellationToken);
        await body.WriteAsync(NewLine, cancellationToken);
    }

    internal static FhirImportManifest Manifest(HttpRequest request, ImportJob job)
    {
        var baseUrl = FhirApi.BaseUrl(request);
        FhirImportError[] error = job.Rejected > 0
            ? [new FhirImportError("OperationOutcome", job.Rejected, $"{baseUrl}/$import-status/{job.JobId:D}/errors")]
            : [];
        return new FhirImportManifest(job.StartedAt ?? job.CreatedAt, $"{baseUrl}/$import", RequiresAccessToken: true,
            [new FhirImportOutput("Patient", job.Stored)], error);
    }

    internal static string Progress(ImportJob job) => string.Create(CultureInfo.InvariantCulture,
        $"{job.Status}: {job.Received:N0} lines read ({job.Stored:N0} stored, {job.Rejected:N0} rejected) of a {job.Bytes:N0}-byte file");

    private static async Task<ImportJob?> FindAsync(HttpContext http, string jobId, ImportJobStore store, CancellationToken cancellationToken) =>
        await ImportsApi.FindVisibleAsync(http, jobId, store, cancellationToken) is { Format: FhirNdjsonImportFormat.FormatName } job ? job : null;

    private static FhirResult Accepted(ImportJob job)
    {
        var result = FhirOutcomes.Status(StatusCodes.Status202Accepted, OperationOutcome.IssueType.Informational,
            $"Import job {job.JobId:D} is {job.Status}; poll the Content-Location.");
        return new FhirResult(StatusCodes.Status202Accepted, result.Resource) { ContentLocation = $"{StatusPath}/{job.JobId:D}" };
    }

    private static bool IsFhirNdjson(string? contentType) =>
        contentType is not null && string.Equals(contentType.Split(';', 2)[0].Trim(), FhirNdjsonImportFormat.FhirNdjsonMediaType, StringComparison.OrdinalIgnoreCase);

    private static FhirResult NotFound() => FhirOutcomes.NotFound("No $import job with this ID is visible to this key.");

    private static FhirResult TooLarge(long maxBytes) =>
        FhirOutcomes.Status(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooCostly,
            $"Import files are limited to {maxBytes:N0} bytes (Kontakt:Imports:MaxBytes); nothing was stored. Split the file.");
}

/// <summary>The Bulk Data manifest of a completed <c>$import</c> job.</summary>
public sealed record FhirImportManifest(DateTimeOffset TransactionTime, string Request, bool RequiresAccessToken, FhirImportOutput[] Output, FhirImportError[] Error);

/// <summary>What was stored: <c>count</c> Patients.</summary>
public sealed record FhirImportOutput(string Type, long Count);

/// <summary>The error file: <c>count</c> rejected lines, one OperationOutcome each, at <c>url</c>.</summary>
public sealed record FhirImportError(string Type, long Count, string Url);

[System.Text.Json.Serialization.JsonSerializable(typeof(FhirImportManifest))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class FhirImportJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
