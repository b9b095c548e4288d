using System.Globalization;

namespace Kontakt.Core.Temporal;

/// <summary>
/// What the service knows of its standby (<c>ConnectionStrings:KontaktReadOnly</c>): whether public reads go to it,
/// why not when they do not, and how far its replay lags. Shared by every pool that reads from it; written by the
/// periodic probe (<see cref="ReadDataSource.ProbeStandbyAsync"/>) and by any read that finds it unreachable.
/// </summary>
public sealed class StandbyStatus
{
    private volatile Snapshot _current;

    /// <summary>A status for a service with (<paramref name="configured"/>) or without a standby.</summary>
    public StandbyStatus(bool configured)
    {
        Configured = configured;
        // Assumed reachable until a probe or a read says otherwise: the probe runs at once on start-up.
        _current = new Snapshot(Reachable: configured, Reason: null, ReplayLagSeconds: null, Since: DateTimeOffset.MinValue);
    }

    /// <summary>Whether a standby is configured at all.</summary>
    public bool Configured { get; }

    /// <summary>Whether public reads go to the standby now (false without one).</summary>
    public bool Reachable => _current.Reachable;

    /// <summary>
    /// Seconds the standby's replay lags the primary as of the last probe, for the
    /// <c>kontakt_standby_replay_lag_seconds</c> gauge; null without a standby or while it is unreachable.
    /// Zero when it has replayed everything it received and is still streaming; otherwise the time since the last
    /// transaction it replayed, so a standby that stopped streaming shows a growing lag rather than none.
    /// </summary>
    public double? ReplayLagSeconds => _current.ReplayLagSeconds;

    /// <summary>One line for readiness: where public reads go and why. Fixed words and numbers only.</summary>
    public string Describe()
    {
        var current = _current;
        if (!Configured)
        {
            return "No standby configured; public reads go to the primary.";
        }
        if (!current.Reachable)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Standby unreachable ({current.Reason}) since {SystemTime.Format(current.Since)}; public reads go to the primary.");
        }
        return current.ReplayLagSeconds is { } lag
            ? string.Create(CultureInfo.InvariantCulture, $"Public reads go to the standby; replay lag {lag:F1} s.")
            : "Public reads go to the standby.";
    }

    /// <summary>The probe reached the standby; <paramref name="replayLagSeconds"/> is its replay lag.</summary>
    public void MarkReachable(double replayLagSeconds, DateTimeOffset now) =>
        _current = new Snapshot(true, null, Math.Max(0, replayLagSeconds), _current.Reachable ? _current.Since : now);

    /// <summary>The standby could not be reached; <paramref name="reason"/> is a fixed word (an error kind), never a message.</summary>
    public void MarkUnreachable(string reason, DateTimeOffset now)
    {
        var current = _current;
        _current = new Snapshot(false, reason, null, current.Reachable ? now : current.Since);
    }

    private sealed record Snapshot(bool Reachable, string? Reason, double? ReplayLagSeconds, DateTimeOffset Since);
}
