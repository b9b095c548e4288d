using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>
/// The exports' own small connection pool (same runtime role, <c>Maximum Pool Size</c> = the export limit),
/// so slow downloads hold only these connections and never the writers'.
/// </summary>
/// <param name="DataSource">The dedicated pool.</param>
/// <param name="Timeout">Statement and idle-in-transaction time-out of one export.</param>
public sealed record SnapshotDataSource(NpgsqlDataSource DataSource, TimeSpan Timeout);
