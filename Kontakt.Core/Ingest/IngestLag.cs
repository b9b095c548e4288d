using System.Diagnostics;

namespace Kontakt.Core.Ingest;

/// <summary>How long the oldest accepted record has waited for its commit, read by metrics and readiness.</summary>
public sealed class IngestLag(IngestQueue queue, IngestObserver observer)
{
    /// <summary>Age of the oldest record queued or in a batch being written; zero when none waits.</summary>
    public TimeSpan OldestUncommittedAge()
    {
        var oldest = queue.PeekOldestEnqueuedAt();
        if (observer.OldestInFlight() is { } inFlight && (oldest is null || inFlight < oldest))
        {
            oldest = inFlight;
        }
        return oldest is { } since ? Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;
    }
}
