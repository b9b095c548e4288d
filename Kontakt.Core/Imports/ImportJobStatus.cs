namespace Kontakt.Core.Imports;

/// <summary>The states of an import job, as stored and as answered.</summary>
public static class ImportJobStatus
{
    /// <summary>Stored, not yet started.</summary>
    public const string Queued = "queued";

    /// <summary>A process is reading it (or held it when it died: another resumes it after the lease).</summary>
    public const string Running = "running";

    /// <summary>Every line was read: stored or rejected.</summary>
    public const string Completed = "completed";

    /// <summary>Ended before the last line: cancelled, or unreadable (see the reason).</summary>
    public const string Failed = "failed";
}
