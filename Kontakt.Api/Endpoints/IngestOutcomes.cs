using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// The one place where the records' outcomes become an HTTP answer: all stored or replayed → 201;
/// any given up after the retry bound → 503 with Retry-After listing them (and any refused or conflicts);
/// otherwise any refused → 500 listing them (and any conflicts); otherwise any conflict → 409. Record IDs
/// go into every problem, so a client that let the server assign them can still retry safely.
/// </summary>
internal static class IngestOutcomes
{
    /// <summary>Seconds a client is asked to wait before retrying records given up after the retry bound.</summary>
    public const int UnavailableRetryAfterSeconds = 5;

    public static Results<IngestCreated<RecordResult>, IngestAccepted<RecordQueued>, ProblemHttpResult> ForRecord(HttpContext http, IngestRequest request, RecordOutcome[] outcomes) =>
        Problem(http, request, outcomes) is { } problem ? problem : IngestAnswer.Created(ResultOf(outcomes[0]));

    public static Results<IngestCreated<RecordResult[]>, IngestAccepted<BatchQueued>, ProblemHttpResult> ForBatch(HttpContext http, IngestRequest request, RecordOutcome[] outcomes) =>
        Problem(http, request, outcomes) is { } problem ? problem : IngestAnswer.Created(outcomes.Select(ResultOf).ToArray());

    private static RecordResult ResultOf(RecordOutcome outcome) => outcome switch
    {
        RecordOutcome.Stored stored => stored.Result,
        RecordOutcome.Replayed replayed => replayed.Result,
        _ => throw new InvalidOperationException("Only stored or replayed records have a result."),
    };

    private static ProblemHttpResult? Problem(HttpContext http, IngestRequest request, RecordOutcome[] outcomes)
    {
        var refused = IndexesOf<RecordOutcome.Refused>(outcomes);
        var conflicting = IndexesOf<RecordOutcome.Conflict>(outcomes);
        var unavailable = IndexesOf<RecordOutcome.Unavailable>(outcomes);
        if (refused.Length == 0 && conflicting.Length == 0 && unavailable.Length == 0)
        {
            return null;
        }
        var recordIds = request.Records.Select(r => r.RecordId).ToArray();
        if (unavailable.Length > 0)
        {
            http.Response.Headers.RetryAfter = UnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                $"{unavailable.Length} of {outcomes.Length} records could not be written: the database failed for reasons that are not the records' " +
                "until the writer gave up. Those records (unavailableIndexes) may or may not be stored; sending them again with the same recordId " +
                "values after Retry-After is safe. Records not listed in unavailableIndexes, failedIndexes or conflictingIndexes were stored.",
                new Dictionary<string, object?>
                {
                    ["unavailableIndexes"] = unavailable,
                    ["failedIndexes"] = refused,
                    ["conflictingIndexes"] = conflicting,
                    ["recordIds"] = recordIds,
                });
        }
        if (refused.Length == 0)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "recordId already used",
                $"{conflicting.Length} of {outcomes.Length} records were not stored: their recordId is already stored for a different record. " +
                "Those records were not stored; use a new recordId for a different record. Records of this request not listed were stored.",
                new Dictionary<string, object?> { ["conflictingIndexes"] = conflicting, ["recordIds"] = recordIds });
        }
        return Problems.Status(StatusCodes.Status500InternalServerError, "Records not stored",
            $"{refused.Length} of {outcomes.Length} records could not be stored; the database refused them. " +
            "Records of this request not listed in failedIndexes or conflictingIndexes were stored; retrying with the same recordId values is safe.",
            new Dictionary<string, object?>
            {
                ["failedIndexes"] = refused,
                ["conflictingIndexes"] = conflicting,
                ["recordIds"] = recordIds,
            });
    }

    private static int[] IndexesOf<TOutcome>(RecordOutcome[] outcomes) where TOutcome : RecordOutcome =>
        Enumerable.Range(0, outcomes.Length).Where(i => outcomes[i] is TOutcome).ToArray();
}
