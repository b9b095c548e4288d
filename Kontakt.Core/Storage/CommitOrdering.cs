namespace Kontakt.Core.Storage;

/// <summary>
/// Batches stamp their versions and audit rows while holding one transaction-scoped advisory
/// lock, and keep it until they commit. So stamps are in commit order across every writer and
/// every API process on the database, which is what makes AS-OF answers repeatable.
/// </summary>
public static class CommitOrdering
{
    /// <summary>The advisory lock key ("Kontakt" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x4B6F6E74616B74;
}
