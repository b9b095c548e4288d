using Kontakt.Core.Ingest;
using Kontakt.Core.Temporal;

namespace Kontakt.Api.Hosting;

/// <summary>
/// <c>kontakt_standby_up</c> and <c>kontakt_standby_replay_lag_seconds</c> on the Kontakt meter, only when a
/// standby (<c>ConnectionStrings:KontaktReadOnly</c>) is configured: read from <see cref="StandbyStatus"/>,
/// which the standby monitor keeps current.
/// </summary>
internal sealed class StandbyGauges
{
    public StandbyGauges(StandbyStatus standby, IngestObserver observer)
    {
        ArgumentNullException.ThrowIfNull(standby);
        ArgumentNullException.ThrowIfNull(observer);
        if (!standby.Configured)
        {
            return;
        }
        observer.Meter.CreateObservableGauge("kontakt.standby.up", () => standby.Reachable ? 1 : 0, unit: null,
            "1 while public reads go to the standby, 0 while they fall back to the primary.");
        observer.Meter.CreateObservableGauge("kontakt.standby.replay_lag", () => standby.ReplayLagSeconds ?? double.NaN, "s",
            "Standby replay lag at the last probe; NaN while unreachable.");
    }
}
