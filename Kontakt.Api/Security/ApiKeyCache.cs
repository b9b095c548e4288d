using System.Collections.Concurrent;
using Kontakt.Core.Security;
using Npgsql;

namespace Kontakt.Api.Security;

/// <summary>
/// Recently checked API keys, valid and invalid, for at most <see cref="Lifetime"/>: a revocation
/// reaches every replica within that time, and a flood of bad keys costs one lookup each per
/// period instead of one per request.
/// </summary>
public sealed partial class ApiKeyCache(ApiKeyStore store, TimeProvider clock, ILogger<ApiKeyCache> logger)
{
    /// <summary>How long an answer is reused. The bound on how late a revocation may bite.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>Entries kept at most; past this the cache starts over, so random keys cannot grow it.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(ApiKeyIdentity? Key, DateTimeOffset ExpiresAt);

    // A pooled connection the server has closed (a restart, a failover, sessions ended by an
    // operator) fails its first command; the lookup is a read, so one more try on a fresh
    // connection is safe, and spares the caller a 500.
    private async Task<ApiKeyIdentity?> LookUpAsync(string presented, CancellationToken cancellationToken)
    {
        try
        {
            return await store.FindAsync(presented, cancellationToken);
        }
        catch (NpgsqlException error) when (!cancellationToken.IsCancellationRequested)
        {
            LogLookupRetried(logger, error.SqlState ?? "none");
            return await store.FindAsync(presented, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key lookup failed (SQLSTATE {SqlState}); trying once more")]
    private static partial void LogLookupRetried(ILogger logger, string sqlState);

    // last_used_at is for operators, not for access control: a database that refuses writes
    // (read-only after a failover, a full disk) must not turn every valid key away.
    private async Task TouchAsync(ApiKeyIdentity key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await store.TouchAsync(key, now, cancellationToken);
        }
        catch (NpgsqlException error) when (!cancellationToken.IsCancellationRequested)
        {
            LogTouchFailed(logger, error.SqlState ?? "none");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record when an API key was last used (SQLSTATE {SqlState}); the request goes on")]
    private static partial void LogTouchFailed(ILogger logger, string sqlState);

    /// <summary>The active key <paramref name="presented"/> is, or null; from the cache when the answer is young enough.</summary>
    public async Task<ApiKeyIdentity?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        // Keyed by the hash, so the cache never holds a key in the clear.
        var hash = Convert.ToBase64String(ApiKeyStore.Hash(presented));
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(hash, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Key;
        }
        var key = await LookUpAsync(presented, cancellationToken);
        if (key is not null)
        {
            await TouchAsync(key, now, cancellationToken);
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[hash] = new Entry(key, now + Lifetime);
        return key;
    }
}
