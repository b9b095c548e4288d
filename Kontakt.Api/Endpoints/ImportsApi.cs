using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Kontakt.Api.Hosting;
using Kontakt.Api.Security;
using Kontakt.Core.Imports;
using Kontakt.Core.Records;
using Kontakt.Core.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// <c>/v1/imports</c>: bulk import jobs. The upload is stored in the database before the 202, and a
/// background runner (any process) imports it through the same validation and writers as
/// <c>/v1/records</c>. A client sees its own jobs; an admin key sees every job.
/// </summary>
public static class ImportsApi
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 500;

    /// <summary>The upload (<c>POST /v1/imports</c>): ingest keys.</summary>
    public static IEndpointRouteBuilder MapImportUploadApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/imports").WithTags("Imports")
            .MapPost("/", PostImportAsync)
            .WithName("PostImport")
            .WithSummary("Upload a CSV or NDJSON file as an import job")
            .WithDescription(
                "The body is the file: `text/csv` (a header row naming the columns `name`, `dob`, `favoriteColor`, `recordId` " +
                "in any order, the last two optional; RFC 4180 quoting) or `application/x-ndjson` (one record per line). " +
                "Unknown CSV columns are a 400 unless `?ignoreUnknownColumns=true`. The file is stored before the answer: " +
                "202 with `Location: /v1/imports/{jobId}`. The same file again from the same key answers 200 with the " +
                "existing job's Location, unless `?force=true`. Files up to `Kontakt:Imports:MaxBytes` (413 beyond).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return routes;
    }

    /// <summary>Reading and cancelling jobs: ingest keys (their own jobs) and admin keys (every job).</summary>
    public static IEndpointRouteBuilder MapImportJobsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/imports").WithTags("Imports");
        group.MapGet("/", ListImportsAsync)
            .WithName("ListImports")
            .WithSummary("List import jobs, newest first")
            .WithDescription(
                $"Paged: `limit` jobs per page (default {DefaultListLimit}, 1–{MaxListLimit}); when more remain, the answer carries " +
                "`Link: </v1/imports?limit=…&after=…>; rel=\"next\"`. An ingest key sees its own jobs, an admin key every job.")
            .ProducesValidationProblem();
        group.MapGet("/{jobId}", GetImportAsync)
            .WithName("GetImport")
            .WithSummary("An import job's status and counts")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{jobId}/errors", GetImportErrorsAsync)
            .WithName("GetImportErrors")
            .WithSummary("The job's error report: NDJSON, one line per rejected field of an input line, never the value")
            .Produces(StatusCodes.Status200OK, contentType: ImportErrorReport.MediaType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{jobId}", CancelImportAsync)
            .WithName("CancelImport")
            .WithSummary("Cancel a queued or running import job")
            .WithDescription("204 once cancelled: the job is `failed` with a reason, its file deleted. Lines committed before the cancel stay stored.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<Results<Accepted<ImportJobView>, Ok<ImportJobView>, ProblemHttpResult>> PostImportAsync(
        HttpContext http,
        string? ignoreUnknownColumns,
        string? force,
        ImportJobStore store,
        ImportFormats formats,
        ImportSignal signal,
        IOptions<ImportOptions> options,
        CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxBytes;
        if (formats.ByMediaType(http.Request.ContentType) is not { } format)
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the file as one of: {string.Join(", ", formats.MediaTypes)}.");
        }
        var errors = new List<FieldError>();
        var ignoreUnknown = ParseFlag(ignoreUnknownColumns, nameof(ignoreUnknownColumns), errors);
        var forced = ParseFlag(force, nameof(force), errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        if (http.Request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Counted while streaming instead (413 past MaxBytes), so a body without Content-Length is bounded too.
            limit.MaxRequestBodySize = null;
        }

        ImportUploadOutcome outcome;
        try
        {
            outcome = await store.UploadAsync(http.Request.Body, Client(http), format, new ImportFormatOptions(ignoreUnknown), forced, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException error)
        {
            return Problems.Status(error.StatusCode, "Unreadable request body", "The file could not be read as sent (transfer encoding or timing); nothing was stored.");
        }
        switch (outcome)
        {
            case ImportUploadOutcome.Created created:
                signal.JobQueued();
                return TypedResults.Accepted(Location(created.Job.JobId), ImportJobView.From(created.Job));
            case ImportUploadOutcome.Existing existing:
                http.Response.Headers.Location = Location(existing.Job.JobId);
                return TypedResults.Ok(ImportJobView.From(existing.Job));
            case ImportUploadOutcome.TooLarge tooLarge:
                return TooLarge(tooLarge.MaxBytes);
            case ImportUploadOutcome.Refused refused:
                return Problems.Validation(refused.Errors);
            default:
                throw new InvalidOperationException("Unknown upload outcome.");
        }
    }

    public static async Task<Results<Ok<ImportJobView[]>, ProblemHttpResult>> ListImportsAsync(
        HttpContext http,
        string? limit,
        string? after,
        ImportJobStore store,
        CancellationToken cancellationToken)
    {
        var pageSize = DefaultListLimit;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > MaxListLimit))
        {
            return Problems.Validation([new FieldError("limit", $"must be a whole number from 1 to {MaxListLimit}.")]);
        }
        Guid? start = null;
        if (after is not null)
        {
            if (!Guid.TryParseExact(after, "N", out var last))
            {
                return Problems.Validation([new FieldError("after", "must be the continuation token of a previous page's next link.")]);
            }
            start = last;
        }
        var jobs = await store.ListAsync(SeesAll(http) ? null : Client(http), start, pageSize + 1, cancellationToken);
        if (jobs.Count > pageSize)
        {
            http.Response.Headers.Link = $"</v1/imports?limit={pageSize}&after={jobs[pageSize - 1].JobId:N}>; rel=\"next\"";
        }
        return TypedResults.Ok(jobs.Take(pageSize).Select(ImportJobView.From).ToArray());
    }

    public static async Task<Results<Ok<ImportJobView>, ProblemHttpResult>> GetImportAsync(
        HttpContext http, string jobId, ImportJobStore store, CancellationToken cancellationToken) =>
        await FindVisibleAsync(http, jobId, store, cancellationToken) is { } job
            ? TypedResults.Ok(ImportJobView.From(job))
            : NotFound();

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> GetImportErrorsAsync(
        HttpContext http, string jobId, ImportJobStore store, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(http, jobId, store, cancellationToken) is not { } job)
        {
            return NotFound();
        }
        return TypedResults.Stream(body => ImportErrorReport.WriteAsync(store.ErrorsAsync(job.JobId, http.RequestAborted), body, http.RequestAborted),
            ImportErrorReport.MediaType);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> CancelImportAsync(
        HttpContext http, string jobId, ImportJobStore store, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(http, jobId, store, cancellationToken) is not { } job)
        {
            return NotFound();
        }
        return await store.CancelAsync(job.JobId, cancellationToken) is not null
            ? TypedResults.NoContent()
            : Problems.Status(StatusCodes.Status409Conflict, "Import job already ended", $"The job is {job.Status}; only queued or running jobs can be cancelled.");
    }

    internal static async Task<ImportJob?> FindVisibleAsync(HttpContext http, string jobId, ImportJobStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return null;
        }
        var job = await store.FindAsync(id, cancellationToken);
        // Another client's job answers like a missing one: its existence is not theirs to learn.
        return job is not null && (SeesAll(http) || string.Equals(job.Client, Client(http), StringComparison.Ordinal)) ? job : null;
    }

    internal static string Client(HttpContext http) => KontaktClaims.ClientOf(http);

    private static bool SeesAll(HttpContext http) => http.User.IsInRole(KontaktRoles.Admin);

    private static string Location(Guid jobId) => $"/v1/imports/{jobId:D}";

    private static ProblemHttpResult NotFound() =>
        Problems.Status(StatusCodes.Status404NotFound, "Import job not found", "No import job with this ID is visible to this key.");

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "File too large",
            $"Import files are limited to {maxBytes:N0} bytes (Kontakt:Imports:MaxBytes); nothing was stored. Split the file.");

    private static bool ParseFlag(string? value, string name, List<FieldError> errors)
    {
        if (value is null)
        {
            return false;
        }
        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }
        errors.Add(new FieldError(name, "must be true or false."));
        return false;
    }
}

/// <summary>An import job as answered: counts and times, never a value of the file.</summary>
/// <param name="JobId">The job's ID.</param>
/// <param name="Status"><c>queued</c>, <c>running</c>, <c>completed</c> or <c>failed</c>.</param>
/// <param name="Received">Input lines read so far (excluding a CSV header), stored or rejected.</param>
/// <param name="Stored">Lines whose record is stored.</param>
/// <param name="Rejected">Lines refused; each has lines in the error report.</param>
/// <param name="StartedAt">When a process started the job.</param>
/// <param name="FinishedAt">When it completed or failed.</param>
/// <param name="Errors">Where the error report is.</param>
/// <param name="Reason">Why the job failed (cancelled, unreadable); null otherwise.</param>
public sealed record ImportJobView(
    string JobId, string Status, long Received, long Stored, long Rejected, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string Errors, string? Reason)
{
    public static ImportJobView From(ImportJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.JobId.ToString("D"), job.Status, job.Received, job.Stored, job.Rejected, job.StartedAt, job.FinishedAt,
            $"/v1/imports/{job.JobId:D}/errors", job.Reason);
    }
}

/// <summary>The error report as NDJSON: <c>{"line":N,"field":"…","reason":"…"}</c> per line, streamed from the database.</summary>
internal static class ImportErrorReport
{
    public const string MediaType = "application/x-ndjson";

    public static async Task WriteAsync(IAsyncEnumerable<ImportLineError> errors, Stream body, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        await foreach (var error in errors.WithCancellation(cancellationToken))
        {
            json.WriteStartObject();
            json.WriteNumber("line", error.Line);
            json.WriteString("field", error.Field);
            json.WriteString("reason", error.Reason);
            json.WriteEndObject();
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= 60 * 1024)
            {
                await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }
        await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }
}
