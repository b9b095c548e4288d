using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace Kontakt.Core.Security;

/// <summary>
/// API keys in <c>security.api_keys</c>. A key is <c>kontakt_</c> followed by 32 random bytes in
/// base64url; only its SHA-256 is stored, so the table is useless to whoever reads it.
/// </summary>
public sealed partial class ApiKeyStore(NpgsqlDataSource dataSource)
{
    /// <summary>What every key starts with, so a key found in a file or a log is recognizable.</summary>
    public const string Prefix = "kontakt_";

    /// <summary>The longest name a key may have (the column's length).</summary>
    public const int MaxNameLength = 100;

    /// <summary>How stale <c>last_used_at</c> may get: writing it on every request would make every read a write.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private const int KeyBytes = 32;
    private const string ActiveNameIndex = "api_keys_active_key_name_key";

    private const string InsertSql = """
        INSERT INTO security.api_keys (key_name, role, key_hash, created_at)
        VALUES (@name, @role, @hash, now())
        RETURNING created_at
        """;

    private const string ListSql = """
        SELECT key_name, role, created_at, last_used_at, revoked_at
        FROM security.api_keys
        ORDER BY created_at, key_id
        """;

    private const string RevokeSql = """
        UPDATE security.api_keys SET revoked_at = now()
        WHERE key_name = @name AND revoked_at IS NULL
        """;

    private const string FindSql = """
        SELECT key_id, key_name, role, key_hash, last_used_at
        FROM security.api_keys
        WHERE key_hash = @hash AND revoked_at IS NULL
        """;

    private const string TouchSql = """
        UPDATE security.api_keys SET last_used_at = now()
        WHERE key_id = @key_id AND (last_used_at IS NULL OR last_used_at < now() - @interval)
        """;

    private const string AnyActiveSql = "SELECT EXISTS (SELECT 1 FROM security.api_keys WHERE revoked_at IS NULL)";

    /// <summary>Why <paramref name="name"/> cannot name a key, or null if it can.</summary>
    public static string? NameProblem(string? name) => name switch
    {
        null or "" => "is required",
        { Length: > MaxNameLength } => $"must be at most {MaxNameLength} characters",
        _ when !NamePattern().IsMatch(name) => "may hold only letters, digits and . _ @ - and must start with a letter or digit",
        // A key of this name would read the records of MLLP and the drop folder.
        Records.RecordClients.Interfaces => "is reserved for the keyless interface channels (MLLP, drop folder)",
        _ => null,
    };

    /// <summary>Why <paramref name="role"/> is not a role, or null if it is one.</summary>
    public static string? RoleProblem(string? role) =>
        KontaktRoles.IsKnown(role) ? null : "must be one of " + string.Join(", ", KontaktRoles.All);

    /// <summary>Creates a key on its own connection.</summary>
    /// <exception cref="ArgumentException">The name or role is not valid.</exception>
    /// <exception cref="ApiKeyNameTakenException">A key that is not revoked has this name.</exception>
    public async Task<CreatedApiKey> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CreateAsync(connection, name, role, cancellationToken);
    }

    /// <summary>Creates a key on <paramref name="connection"/>, inside its transaction if one is open.</summary>
    /// <exception cref="ArgumentException">The name or role is not valid.</exception>
    /// <exception cref="ApiKeyNameTakenException">A key that is not revoked has this name.</exception>
    public static async Task<CreatedApiKey> CreateAsync(NpgsqlConnection connection, string name, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (NameProblem(name) is { } nameProblem)
        {
            throw new ArgumentException("The key name " + nameProblem + ".", nameof(name));
        }
        if (RoleProblem(role) is { } roleProblem)
        {
            throw new ArgumentException("The role " + roleProblem + ".", nameof(role));
        }
        var key = NewKey();
        await using var command = new NpgsqlCommand(InsertSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        command.Parameters.Add(new NpgsqlParameter<string>("role", role));
        command.Parameters.Add(new NpgsqlParameter<byte[]>("hash", Hash(key)));
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new CreatedApiKey(name, role, key, reader.GetFieldValue<DateTimeOffset>(0));
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UniqueViolation && error.ConstraintName == ActiveNameIndex)
        {
            throw new ApiKeyNameTakenException("A key that is not revoked already has this name.", error);
        }
    }

    /// <summary>Every key, revoked ones included, oldest first. Never key material.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ListSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyInfo(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return keys;
    }

    /// <summary>Revokes the active key named <paramref name="name"/>; false if there is none.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RevokeSql);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The active key <paramref name="presented"/> is, or null if it is not one.</summary>
    public async Task<ApiKeyIdentity?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        if (!LooksLikeKey(presented))
        {
            return null;
        }
        var hash = Hash(presented);
        await using var command = dataSource.CreateCommand(FindSql);
        command.Parameters.Add(new NpgsqlParameter<byte[]>("hash", hash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        // The index found the row by hash; comparing again in constant time keeps the decision
        // itself free of timing that depends on how much of the hash matched.
        var stored = reader.GetFieldValue<byte[]>(3);
        if (!CryptographicOperations.FixedTimeEquals(stored, hash))
        {
            return null;
        }
        return new ApiKeyIdentity(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
    }

    /// <summary>Records that <paramref name="key"/> was used, unless that was recorded within <see cref="TouchInterval"/>.</summary>
    public async Task TouchAsync(ApiKeyIdentity key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.LastUsedAt is { } last && now - last < TouchInterval)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(TouchSql);
        command.Parameters.Add(new NpgsqlParameter<long>("key_id", key.KeyId));
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("interval", TouchInterval) { NpgsqlDbType = NpgsqlDbType.Interval });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether any key is valid (not revoked).</summary>
    public async Task<bool> AnyActiveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AnyActiveSql);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes: what the table stores.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string NewKey() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyBytes));

    private static bool LooksLikeKey(string presented) =>
        presented.Length == Prefix.Length + Base64Url.GetEncodedLength(KeyBytes) && presented.StartsWith(Prefix, StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
