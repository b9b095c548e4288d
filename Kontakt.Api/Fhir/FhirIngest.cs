using Hl7.Fhir.Model;
using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Fhir;

/// <summary>
/// Puts validated FHIR records on the one ingest queue and waits for their commit, as the JSON record
/// API does: the same writers, the same back-pressure answers (503 + Retry-After, 504), as OperationOutcomes.
/// </summary>
public sealed class FhirIngest(IngestQueue queue, IngestObserver observer, IOptions<IngestOptions> options)
{
    public sealed record Committed(RecordOutcome[]? Outcomes, FhirResult? Problem);

    /// <summary>Queues the records as one request (all or nothing when <paramref name="atomic"/>) and waits for their outcomes.</summary>
    public async Task<Committed> StoreAsync(IReadOnlyList<ValidatedRecord> records, bool atomic, CancellationToken cancellationToken)
    {
        var request = new IngestRequest(records, callerWaits: true, atomic: atomic);
        switch (await queue.EnqueueAsync(request, cancellationToken))
        {
            case EnqueueOutcome.Queued:
                observer.RecordsAccepted(records.Count);
                break;
            case EnqueueOutcome.TooLarge:
                return new(null, FhirOutcomes.Status(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooCostly,
                    $"This request has more Patients than the service queues at once ({queue.Capacity:N0}); send smaller Bundles. Nothing was stored."));
            case EnqueueOutcome.Closed:
                observer.RecordsOverloaded(records.Count);
                return new(null, FhirOutcomes.Status(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient,
                    "The service is shutting down; nothing was stored. Retry against another instance or later.", retryAfterSeconds: 5));
            default:
                observer.RecordsOverloaded(records.Count);
                return new(null, FhirOutcomes.Status(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient,
                    "The ingest queue is full; nothing was stored. Retry after the indicated delay.", retryAfterSeconds: 1));
        }

        var timeout = options.Value.CommitTimeout;
        try
        {
            return new(await request.Completion.WaitAsync(timeout, cancellationToken), null);
        }
        catch (TimeoutException)
        {
            // Posting the same Patient again is safe: identity resolution gives the same patient ID.
            return new(null, FhirOutcomes.Status(StatusCodes.Status504GatewayTimeout, OperationOutcome.IssueType.Timeout,
                $"The Patients were accepted but their commit was not confirmed within {timeout.TotalSeconds:0} s. " +
                "They may still be stored; sending them again is safe (the same person gets the same patient ID).", retryAfterSeconds: 1));
        }
    }
}
