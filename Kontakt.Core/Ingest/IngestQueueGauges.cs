namespace Kontakt.Core.Ingest;

/// <summary>
/// The queue's depth and commit lag as gauges on the <see cref="IngestObserver.MeterName"/> meter, read
/// when metrics are collected. Created once per host, before the first collection.
/// </summary>
public sealed class IngestQueueGauges
{
    /// <summary>Creates the gauges on <paramref name="observer"/>'s meter.</summary>
    public IngestQueueGauges(IngestQueue queue, IngestLag lag, IngestObserver observer)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(lag);
        ArgumentNullException.ThrowIfNull(observer);
        var meter = observer.Meter;
        meter.CreateObservableGauge("kontakt.queue.pending_records", () => queue.PendingRecords, "{record}",
            "Records accepted and not yet committed (queued or being written).");
        meter.CreateObservableGauge("kontakt.queue.capacity_records", () => queue.Capacity, "{record}",
            "Most records the queue holds before answering 503.");
        meter.CreateObservableGauge("kontakt.queue.waiting_requests", () => queue.QueuedRequests, "{request}",
            "Requests waiting for a writer.");
        meter.CreateObservableGauge("kontakt.queue.oldest_record_age", () => lag.OldestUncommittedAge().TotalSeconds, "s",
            "Age of the oldest accepted record not yet committed; 0 when none.");
    }
}
