namespace Kontakt.Core.Temporal;

/// <summary>
/// The exports' own small connection pools (same runtime role, <c>Maximum Pool Size</c> = the export limit),
/// so slow downloads hold only these connections and never the writers'; on the standby when one is configured.
/// </summary>
/// <param name="DataSource">The dedicated pools, primary and standby.</param>
/// <param name="Timeout">Longest one export may run; also its statement and idle-in-transaction time-out.</param>
public sealed record SnapshotDataSource(ReadDataSource DataSource, TimeSpan Timeout);
