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
        var key = await store.FindAsync(presented, cancellationToken);
        if (key is not null)
        {
            try
            {
                await store.TouchAsync(key, now, cancellationToken);
            }
            catch (NpgsqlException error)
            {
                // The last-used time is for people reviewing keys; a database that refuses writes
                // (read-only, disk full) must not turn every request into an error because of it.
                LogTouchFailed(logger, key.Name, error.Message);
            }
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[hash] = new Entry(key, now + Lifetime);
        return key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the use of API key {KeyName}: {Reason}")]
    private static partial void LogTouchFailed(ILogger logger, string keyName, string reason);
}
