namespace Kontakt.Core.Security;

/// <summary>The roles a key or token can carry. Each key carries exactly one.</summary>
public static class KontaktRoles
{
    /// <summary>Writes records and reads the color vocabulary.</summary>
    public const string Ingest = "ingest";

    /// <summary>Reads the public store: patients, history, snapshots, colors.</summary>
    public const string Analyst = "analyst";

    /// <summary>Reads PHI in the audit store and the access log.</summary>
    public const string Auditor = "auditor";

    /// <summary>Manages keys and may read what an analyst may; never PHI.</summary>
    public const string Admin = "admin";

    /// <summary>Every role, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Ingest, Analyst, Auditor, Admin];

    /// <summary>Whether <paramref name="role"/> is one of <see cref="All"/> (exact, lower case).</summary>
    public static bool IsKnown(string? role) => role is Ingest or Analyst or Auditor or Admin;
}
