namespace Kontakt.Core.Storage.Schema;

/// <summary>
/// <c>security.api_keys</c>: one API key per row. The key itself is never stored: only its SHA-256,
/// which is enough to recognize it and useless to anyone who reads the table.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Internal sequential key.</summary>
    public long KeyId { get; set; }

    /// <summary>The label given at creation (column <c>key_name</c>); unique among keys that are not revoked.</summary>
    public required string Name { get; set; }

    /// <summary>The one role the key carries: ingest, analyst, auditor or admin.</summary>
    public required string Role { get; set; }

    /// <summary>SHA-256 of the key as presented in <c>X-Api-Key</c>.</summary>
    public required byte[] KeyHash { get; set; }

    /// <summary>When the key was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the key was last accepted (updated at most every few seconds, not per request).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When the key was revoked; null while it is valid.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
