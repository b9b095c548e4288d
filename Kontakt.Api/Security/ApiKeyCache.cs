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

    private readonly ConcurrentDictionary<string, ApiKeyAnswer> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<ApiKeyAnswer>>> _lookups = new(StringComparer.Ordinal);

    /// <summary>
    /// Which active key <paramref name="presented"/> is (null: none), and until when that answer may be reused; from the
    /// cache when the answer is young enough.
    /// </summary>
    public async Task<ApiKeyAnswer> FindAsync(string presented, CancellationToken cancellationToken)
    {
        // Keyed by the hash, so the cache never holds a key in the clear.
        var hash = Convert.ToBase64String(ApiKeyStore.Hash(presented));
        if (_entries.TryGetValue(hash, out var cached) && cached.ExpiresAt > clock.GetUtcNow())
        {
            return cached;
        }
        // Requests presenting the same key share one lookup: a burst of new connections (a client
        // starting 300 at once, every replica after the cache expired) is one query, not a queue of
        // them waiting for pooled connections.
        Lazy<Task<ApiKeyAnswer>>? mine = null;
        mine = new Lazy<Task<ApiKeyAnswer>>(async () =>
        {
            try
            {
                return await LookUpAsync(hash, presented);
            }
            finally
            {
                _lookups.TryRemove(KeyValuePair.Create(hash, mine!));
            }
        });
        return await _lookups.GetOrAdd(hash, mine).Value.WaitAsync(cancellationToken);
    }

    private async Task<ApiKeyAnswer> LookUpAsync(string hash, string presented)
    {
        var now = clock.GetUtcNow();
        // Not the request's token: other requests wait for the same lookup.
        var key = await store.FindAsync(presented, CancellationToken.None);
        if (key is not null)
        {
            try
            {
                await store.TouchAsync(key, now, CancellationToken.None);
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
        var answer = new ApiKeyAnswer(key, now + Lifetime);
        _entries[hash] = answer;
        return answer;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the use of API key {KeyName}: {Reason}")]
    private static partial void LogTouchFailed(ILogger logger, string keyName, string reason);
}
