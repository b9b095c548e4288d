using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kontakt.Core.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format (0.0.4). Labels carry only fixed words such as
/// a rejection reason: never a name, date of birth, color, record ID or patient ID.
/// </summary>
public static class MetricsApi
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", GetMetrics)
            .WithTags("Operations")
            .WithName("Metrics")
            .WithSummary("Ingest metrics in the Prometheus text format")
            .WithDescription("Records accepted / committed / rejected, queue depth and the age of the oldest uncommitted record, batch size and commit latency histograms, writer errors, process memory. No PHI in any label.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK,
                "# TYPE kontakt_records_committed_total counter\nkontakt_records_committed_total 1000000\n"));
        return routes;
    }

    public static ContentHttpResult GetMetrics(IngestObserver observer, IngestQueue queue, IngestLag lag, Core.Temporal.StandbyStatus standby) =>
        TypedResults.Text(Render(observer, queue, lag, standby), ContentType, Encoding.UTF8);

    internal static string Render(IngestObserver observer, IngestQueue queue, IngestLag lag, Core.Temporal.StandbyStatus standby)
    {
        var text = new StringBuilder(4096);
        Counter(text, "kontakt_records_accepted_total", "Records queued for writing (answered 201 later, or 202 at once).", observer.Accepted);
        Counter(text, "kontakt_records_committed_total", "Records committed to PostgreSQL.", observer.Committed);
        text.Append("# HELP kontakt_records_rejected_total Records not stored, by reason: invalid (400), overloaded (503), refused by the database (500), recordId already used for another record (409), storage unavailable past the retry bound (503 or dead-lettered).\n");
        text.Append("# TYPE kontakt_records_rejected_total counter\n");
        Sample(text, "kontakt_records_rejected_total{reason=\"invalid\"}", observer.Rejected);
        Sample(text, "kontakt_records_rejected_total{reason=\"overloaded\"}", observer.Overloaded);
        Sample(text, "kontakt_records_rejected_total{reason=\"refused\"}", observer.Failed);
        Sample(text, "kontakt_records_rejected_total{reason=\"conflict\"}", observer.Conflicted);
        Sample(text, "kontakt_records_rejected_total{reason=\"storage_unavailable\"}", observer.Unavailable);
        Counter(text, "kontakt_batches_total", "Transactions committed by the writers.", observer.Batches);
        Counter(text, "kontakt_writer_retried_errors_total", "Batch attempts that failed for a database-side reason and were retried.", observer.RetriedFailures);
        Counter(text, "kontakt_writer_batch_splits_total", "Batches split to isolate a record the database refused.", observer.Splits);

        Gauge(text, "kontakt_queue_pending_records", "Records accepted and not yet committed (queued or being written).", queue.PendingRecords);
        Gauge(text, "kontakt_queue_capacity_records", "Most records the queue holds before answering 503.", queue.Capacity);
        Gauge(text, "kontakt_queue_waiting_requests", "Requests waiting for a writer.", queue.QueuedRequests);
        Gauge(text, "kontakt_queue_oldest_record_age_seconds", "Age of the oldest accepted record not yet committed; 0 when none.", lag.OldestUncommittedAge().TotalSeconds);

        if (standby.Configured)
        {
            Gauge(text, "kontakt_standby_up", "1 while public reads go to the standby, 0 while they fall back to the primary.", standby.Reachable ? 1 : 0);
            Gauge(text, "kontakt_standby_replay_lag_seconds", "Standby replay lag at the last probe; NaN while unreachable.", standby.ReplayLagSeconds ?? double.NaN);
        }

        Histogram(text, "kontakt_batch_size_records", "Records per committed transaction.", observer.BatchSize);
        Histogram(text, "kontakt_batch_commit_seconds", "Time to write one batch, COPY through COMMIT, retries included.", observer.CommitSeconds);

        using var process = Process.GetCurrentProcess();
        Gauge(text, "process_resident_memory_bytes", "Resident memory of the API process.", process.WorkingSet64);
        Gauge(text, "dotnet_gc_heap_bytes", "Bytes in the managed heap after the last collection.", GC.GetGCMemoryInfo().HeapSizeBytes);
        Counter(text, "process_cpu_seconds_total", "CPU time used by the API process.", process.TotalProcessorTime.TotalSeconds);
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, double value) => Family(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, double value) => Family(text, name, help, "gauge", value);

    private static void Family(StringBuilder text, string name, string help, string type, double value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        Sample(text, name, value);
    }

    private static void Histogram(StringBuilder text, string name, string help, FixedHistogram histogram)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" histogram\n");
        var cumulative = histogram.CumulativeCounts();
        for (var i = 0; i < histogram.UpperBounds.Count; i++)
        {
            Sample(text, $"{name}_bucket{{le=\"{Number(histogram.UpperBounds[i])}\"}}", cumulative[i]);
        }
        Sample(text, $"{name}_bucket{{le=\"+Inf\"}}", cumulative[^1]);
        Sample(text, $"{name}_sum", histogram.Sum);
        Sample(text, $"{name}_count", cumulative[^1]);
    }

    private static void Sample(StringBuilder text, string series, double value) =>
        text.Append(series).Append(' ').Append(Number(value)).Append('\n');

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
