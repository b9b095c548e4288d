using System.ComponentModel.DataAnnotations;

namespace Kontakt.Core.Imports;

/// <summary>Bulk import jobs. Bound from the <c>Kontakt:Imports</c> section.</summary>
public sealed class ImportOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kontakt:Imports";

    /// <summary>Largest upload accepted, in bytes (413 beyond it). Default 2 GiB.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// How long a process holds a job it runs without renewing its claim. A process that dies (kill -9)
    /// holds its job this long; then another process, or the restarted one, resumes it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle process looks for a queued job (an upload to the same process starts at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Input lines a job queues per request to the writers; also the checkpoint step.</summary>
    [Range(1, 100_000)]
    public int BatchLines { get; set; } = 5_000;

    /// <summary>A job's requests queued and not yet committed at once: enough to keep every writer busy.</summary>
    [Range(1, 64)]
    public int BatchesInFlight { get; set; } = 4;

    /// <summary>Whether this process runs jobs (uploads are accepted either way; another process may run them).</summary>
    public bool RunJobs { get; set; } = true;
}
