using Kontakt.Core.Records;

namespace Kontakt.Core.Ingest;

/// <summary>
/// The records of one HTTP request, queued together. The request's task completes once every
/// record is committed (or failed), with one result per record in request order.
/// </summary>
public sealed class IngestRequest
{
    private readonly TaskCompletionSource<RecordResult[]> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a request for <paramref name="records"/>.</summary>
    public IngestRequest(IReadOnlyList<ValidatedRecord> records, bool callerWaits)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfZero(records.Count);
        Records = records;
        CallerWaits = callerWaits;
        EnqueuedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>The request's records in request order.</summary>
    public IReadOnlyList<ValidatedRecord> Records { get; }

    /// <summary>False for <c>Prefer: respond-async</c> requests, which were answered 202 at enqueue.</summary>
    public bool CallerWaits { get; }

    /// <summary>Stopwatch timestamp of when the request was queued.</summary>
    public long EnqueuedAt { get; }

    /// <summary>Completes with the results once the records are committed; faults if they could not be stored.</summary>
    public Task<RecordResult[]> Completion => _completion.Task;

    internal void Succeed(RecordResult[] results) => _completion.TrySetResult(results);

    internal void Fail(Exception error) => _completion.TrySetException(error);
}
