using System.ComponentModel.DataAnnotations;

namespace Kontakt.Core.Temporal;

/// <summary>How exports (snapshots and their manifests) share the database. Bound from <c>Kontakt:Snapshots</c>.</summary>
public sealed class SnapshotOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kontakt:Snapshots";

    /// <summary>Most exports read at once; also the size of their own connection pool. Beyond it: 429 + Retry-After.</summary>
    [Range(1, 100)]
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>
    /// Longest an export (or a manifest's computation) may run: the service then ends it, however slowly its client
    /// reads, and PostgreSQL ends its transaction if it runs a statement or sits idle that long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}
