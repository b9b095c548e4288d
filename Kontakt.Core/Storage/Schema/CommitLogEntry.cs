namespace Kontakt.Core.Storage.Schema;

/// <summary>
/// <c>public_store.commit_log</c>: one row per committed batch, its commit stamp. Append-only, so a long
/// snapshot leaves no dead versions behind for the next stamp to walk (the single updated row it
/// replaces did).
/// </summary>
public sealed class CommitLogEntry
{
    /// <summary>The batch's commit stamp; strictly increasing in commit order (<see cref="CommitOrdering"/>).</summary>
    public DateTimeOffset CommittedAt { get; set; }
}
