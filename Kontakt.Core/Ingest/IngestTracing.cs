using System.Diagnostics;

namespace Kontakt.Core.Ingest;

/// <summary>
/// Spans of the ingest path: one per batch commit, linked to the requests whose records it committed.
/// Tags carry counts only: never a name, date of birth, color, record ID or patient ID.
/// </summary>
public static class IngestTracing
{
    /// <summary>Name of the activity source a tracer must listen to.</summary>
    public const string SourceName = "Kontakt.Ingest";

    /// <summary>
    /// Most requests a batch span links to: OpenTelemetry's default span link limit, past which the
    /// exporter would drop them anyway. <c>kontakt.batch.requests</c> says how many there were.
    /// </summary>
    public const int MaxLinks = 128;

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts the span of one batch commit, or returns null when nobody traces (at no cost then).
    /// It becomes the current activity, so the database spans of the commit are its children.
    /// </summary>
    public static Activity? StartBatchCommit(IReadOnlyList<IngestRequest> batch, int records)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!Source.HasListeners())
        {
            return null;
        }
        var links = new List<ActivityLink>(Math.Min(batch.Count, MaxLinks));
        foreach (var request in batch)
        {
            if (links.Count == MaxLinks)
            {
                break;
            }
            if (request.Origin != default)
            {
                links.Add(new ActivityLink(request.Origin));
            }
        }
        // A root span: the writer works for many requests, none of which is its parent.
        var activity = Source.StartActivity("kontakt.ingest.commit", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("kontakt.batch.records", records);
        activity?.SetTag("kontakt.batch.requests", batch.Count);
        return activity;
    }
}
