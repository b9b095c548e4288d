namespace Kontakt.Core.Storage;

/// <summary>
/// The AS-OF rule, in one place (docs/architecture.md, "Point in time", tells it at length):
/// <list type="number">
/// <item><b>Ordering</b> — every batch takes one transaction-scoped advisory lock
/// (<see cref="AdvisoryLockKey"/>, <see cref="BatchSql.TakeCommitLock"/>) and keeps it until it commits,
/// so batches stamp in commit order across every writer and every API process on the database.</item>
/// <item><b>Stamp</b> — under the lock a batch stamps its versions and audit rows with
/// <see cref="BatchSql.StampCommit"/>, appended to <c>public_store.commit_log</c>, never at or before the previous stamp
/// (append-only: a long snapshot elsewhere leaves no dead versions for the next stamp to walk).</item>
/// <item><b>Horizon</b> — <c>public_store.stable_horizon()</c> (migration <c>PointInTime</c>) returns the last
/// committed stamp: every smaller stamp is committed and every batch in flight will stamp later.</item>
/// <item><b>Reads</b> — <see cref="Temporal.StableHorizon"/> reads the horizon in its own statement and answers
/// a time after it as of the horizon, so an AS-OF answer never changes once given.</item>
/// </list>
/// </summary>
public static class CommitOrdering
{
    /// <summary>The advisory lock key ("Kontakt" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x4B6F6E74616B74;
}
