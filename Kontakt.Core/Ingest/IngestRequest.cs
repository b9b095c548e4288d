using System.Diagnostics;
using Kontakt.Core.Records;

namespace Kontakt.Core.Ingest;

/// <summary>
/// The records of one HTTP request, queued together. The request's task completes once every
/// record has its outcome (stored, replayed, conflict or refused), one per record in request order.
/// </summary>
public sealed class IngestRequest
{
    private readonly TaskCompletionSource<RecordOutcome[]> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a request for <paramref name="records"/>.</summary>
    /// <param name="records">The records, in request order.</param>
    /// <param name="callerWaits">False when the caller was answered at enqueue (202).</param>
    /// <param name="atomic">All or nothing: the records are committed in one transaction or none is stored (a FHIR transaction Bundle).</param>
    public IngestRequest(IReadOnlyList<ValidatedRecord> records, bool callerWaits, bool atomic = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfZero(records.Count);
        Records = records;
        CallerWaits = callerWaits;
        Atomic = atomic;
        EnqueuedAt = Stopwatch.GetTimestamp();
        Origin = Activity.Current?.Context ?? default;
    }

    /// <summary>The request's records in request order.</summary>
    public IReadOnlyList<ValidatedRecord> Records { get; }

    /// <summary>False for <c>Prefer: respond-async</c> requests, which were answered 202 at enqueue.</summary>
    public bool CallerWaits { get; }

    /// <summary>
    /// True for an all-or-nothing request: its records are never split across transactions, and when the
    /// database refuses one of them none is stored.
    /// </summary>
    public bool Atomic { get; }

    /// <summary>Stopwatch timestamp of when the request was queued.</summary>
    public long EnqueuedAt { get; }

    /// <summary>
    /// The trace context current when the request was queued (the HTTP request's span), or default when
    /// nothing traced it: the span of the batch that commits the records links to it.
    /// </summary>
    public ActivityContext Origin { get; }

    /// <summary>Completes with one outcome per record, in request order, once the writer is done with them.</summary>
    public Task<RecordOutcome[]> Completion => _completion.Task;

    internal void Complete(RecordOutcome[] outcomes) => _completion.TrySetResult(outcomes);
}
