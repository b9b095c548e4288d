using Kontakt.Api.Security;
using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// <c>/v1/records</c>: ingest. Handlers validate, queue, and (unless the client asked for
/// <c>Prefer: respond-async</c>) wait for the writers' commit before answering 201.
/// </summary>
public static class RecordsApi
{
    public const int MaxBatchRecords = 10_000;
    internal const long MaxRecordBodyBytes = 64 * 1024;
    internal const long MaxBatchBodyBytes = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/records").WithTags("Records");

        group.MapPost("/", PostRecordAsync)
            .WithName("PostRecord")
            .WithSummary("Store one patient record")
            .WithDescription(OpenApi.ApiText.PostRecord)
            .Accepts<RecordRequest>("application/json")
            .ProducesIngestProblems()
            .WithMetadata(new OpenApi.RequestExample(OpenApi.ApiExamples.Record))
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status201Created, OpenApi.ApiExamples.RecordResult))
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status202Accepted, OpenApi.ApiExamples.Queued));

        group.MapPost("/batch", PostBatchAsync)
            .WithName("PostRecordBatch")
            .WithSummary("Store 1 to 10,000 patient records in one request")
            .WithDescription(OpenApi.ApiText.PostBatch)
            .Accepts<RecordRequest[]>("application/json")
            .ProducesIngestProblems()
            .WithMetadata(new OpenApi.RequestExample(OpenApi.ApiExamples.Batch))
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status201Created, OpenApi.ApiExamples.BatchResult))
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status202Accepted, OpenApi.ApiExamples.BatchQueued));

        group.MapGet("/{recordId}", GetRecordStatusAsync)
            .WithName("GetRecordStatus")
            .WithSummary("What became of one record: queued, committed or failed")
            .WithDescription(OpenApi.ApiText.GetRecordStatus)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    /// <summary>
    /// A record queued in this process answers from memory; committed and failed records answer from
    /// the database, so every replica knows them. The queue is asked first: a record leaves it only
    /// after its outcome is in the database, so no record falls between the two. Only the caller's own
    /// records answer: another client's record with the same recordId answers like one never seen.
    /// </summary>
    public static async Task<Results<Ok<RecordStatus>, ProblemHttpResult>> GetRecordStatusAsync(
        string recordId,
        HttpContext http,
        IngestQueue queue,
        RecordStatusQueries queries,
        CancellationToken cancellationToken)
    {
        var client = KontaktClaims.ClientOf(http);
        if (queue.Queued.ReceivedAt(client, recordId) is { } receivedAt)
        {
            return TypedResults.Ok(new RecordStatus(recordId, RecordStatus.Queued, null, null, receivedAt, null, null));
        }
        if (await queries.FindAsync(client, recordId, cancellationToken) is { } stored)
        {
            return TypedResults.Ok(stored);
        }
        return Problems.Status(StatusCodes.Status404NotFound, "Record not found",
            "No record of this key with this recordId was committed or failed, and this instance holds none queued. " +
            "A record queued moments ago on another instance is known there until it is committed.");
    }

    /// <summary>
    /// The problem answers both ingest endpoints give (their 201 and 202 declare themselves through
    /// their typed results); ApiText.StatusMeanings says what each means.
    /// </summary>
    private static RouteHandlerBuilder ProducesIngestProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status500InternalServerError)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    public static async Task<Results<IngestCreated<RecordResult>, IngestAccepted<RecordQueued>, ProblemHttpResult>> PostRecordAsync(
        HttpContext http,
        IngestQueue queue,
        RecordValidator validator,
        IngestObserver observer,
        IOptions<IngestOptions> options,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(http.Request, RecordJsonContext.Default.RecordRequest, MaxRecordBodyBytes, cancellationToken);
        if (body.Problem is { } unreadable)
        {
            observer.RecordsRejected(1);
            return unreadable;
        }

        var errors = new List<FieldError>();
        var record = validator.Validate(body.Value, KontaktClaims.ClientOf(http), validator.Now(), errors);
        if (record is null)
        {
            observer.RecordsRejected(1);
            return Problems.Validation(errors);
        }

        var outcome = await EnqueueAsync(http, queue, observer, [record], cancellationToken);
        if (outcome.Problem is { } refused)
        {
            return refused;
        }
        if (outcome.Async)
        {
            return IngestAnswer.Accepted(new RecordQueued(record.RecordId));
        }
        var committed = await AwaitCommitAsync(outcome.Request!, options.Value.CommitTimeout, cancellationToken);
        return committed.Problem is { } unconfirmed ? unconfirmed : IngestOutcomes.ForRecord(http, outcome.Request!, committed.Outcomes!);
    }

    public static async Task<Results<IngestCreated<RecordResult[]>, IngestAccepted<BatchQueued>, ProblemHttpResult>> PostBatchAsync(
        HttpContext http,
        IngestQueue queue,
        RecordValidator validator,
        IngestObserver observer,
        IOptions<IngestOptions> options,
        BatchBodyGate gate,
        CancellationToken cancellationToken)
    {
        using var place = await gate.EnterAsync(cancellationToken);
        if (place is null)
        {
            observer.RecordsOverloaded(1);
            return Problems.Overloaded(http, 1, "Too many batch bodies are being read at once; nothing was stored. Retry after the indicated delay.");
        }
        var body = await JsonBody.ReadArrayAsync(http.Request, RecordJsonContext.Default.RecordRequest, MaxBatchRecords, MaxBatchBodyBytes, cancellationToken);
        if (body.Problem is { } unreadable)
        {
            // A body that never became records counts once, as it does on the single-record endpoint.
            observer.RecordsRejected(1);
            return unreadable;
        }
        var requests = body.Value!;
        if (requests.Count == 0)
        {
            observer.RecordsRejected(1);
            return Problems.Validation([new FieldError("$", $"a batch holds 1 to {MaxBatchRecords:N0} records (got none).")]);
        }

        var receivedAt = validator.Now();
        var client = KontaktClaims.ClientOf(http);
        var errors = new List<FieldError>();
        var records = new ValidatedRecord[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            records[i] = validator.Validate(requests[i], client, receivedAt, errors, $"[{i}].")!;
        }
        if (errors.Count > 0)
        {
            observer.RecordsRejected(requests.Count);
            return Problems.Validation(errors);
        }
        place.Dispose();

        var outcome = await EnqueueAsync(http, queue, observer, records, cancellationToken);
        if (outcome.Problem is { } refused)
        {
            return refused;
        }
        if (outcome.Async)
        {
            return IngestAnswer.Accepted(new BatchQueued(records.Select(r => r.RecordId).ToArray()));
        }
        var committed = await AwaitCommitAsync(outcome.Request!, options.Value.CommitTimeout, cancellationToken);
        return committed.Problem is { } unconfirmed ? unconfirmed : IngestOutcomes.ForBatch(http, outcome.Request!, committed.Outcomes!);
    }

    private sealed record Enqueued(IngestRequest? Request, bool Async, ProblemHttpResult? Problem);

    private static async Task<Enqueued> EnqueueAsync(
        HttpContext http, IngestQueue queue, IngestObserver observer, ValidatedRecord[] records, CancellationToken cancellationToken)
    {
        var respondAsync = PrefersRespondAsync(http.Request);
        var request = new IngestRequest(records, callerWaits: !respondAsync);
        var outcome = await queue.EnqueueAsync(request, cancellationToken);
        switch (outcome)
        {
            case EnqueueOutcome.Queued:
                observer.RecordsAccepted(records.Length);
                if (respondAsync)
                {
                    http.Response.Headers["Preference-Applied"] = "respond-async";
                }
                return new Enqueued(request, respondAsync, null);
            case EnqueueOutcome.TooLarge:
                return new Enqueued(null, false, Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request too large for the queue",
                    $"This request has more records than the service queues at once ({queue.Capacity:N0}); send smaller batches. Nothing was stored."));
            case EnqueueOutcome.Closed:
                observer.RecordsOverloaded(records.Length);
                return new Enqueued(null, false, Problems.Overloaded(http, 5, "The service is shutting down; nothing was stored. Retry against another instance or later."));
            default:
                observer.RecordsOverloaded(records.Length);
                return new Enqueued(null, false, Problems.Overloaded(http, 1, "The ingest queue is full; nothing was stored. Retry after the indicated delay."));
        }
    }

    private sealed record Committed(RecordOutcome[]? Outcomes, ProblemHttpResult? Problem);

    private static async Task<Committed> AwaitCommitAsync(IngestRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return new Committed(await request.Completion.WaitAsync(timeout, cancellationToken), null);
        }
        catch (TimeoutException)
        {
            return new Committed(null, Problems.Status(StatusCodes.Status504GatewayTimeout, "Commit not confirmed",
                $"The records were accepted but their commit was not confirmed within {timeout.TotalSeconds:0} s. " +
                "They may still be stored: retry with the same recordId values, which is safe.",
                // Record IDs go into every problem, so a client that let the server assign them can still retry safely.
                new Dictionary<string, object?> { ["recordIds"] = request.Records.Select(r => r.RecordId).ToArray() }));
        }
    }

    private static bool PrefersRespondAsync(HttpRequest request)
    {
        foreach (var header in request.Headers.GetCommaSeparatedValues("Prefer"))
        {
            if (header.Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
