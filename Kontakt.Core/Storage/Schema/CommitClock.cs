namespace Kontakt.Core.Storage.Schema;

/// <summary><c>public_store.commit_clock</c>: a single row holding the last batch's commit stamp.</summary>
public sealed class CommitClock
{
    /// <summary>Always 1.</summary>
    public short Id { get; set; }

    /// <summary>The stamp of the most recent batch.</summary>
    public DateTimeOffset LastCommit { get; set; }
}
