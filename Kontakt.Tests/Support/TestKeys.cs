using System.Collections.Concurrent;
using Kontakt.Core.Security;
using Npgsql;

namespace Kontakt.Tests.Support;

/// <summary>One API key per role in every test database, so test clients can call what they test.</summary>
public static class TestKeys
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> ByDatabase = new(StringComparer.Ordinal);

    /// <summary>Creates <c>test-ingest</c>, <c>test-analyst</c>, <c>test-auditor</c> and <c>test-admin</c> in the database.</summary>
    public static async Task CreateAsync(NpgsqlDataSource dataSource, string connectionString)
    {
        var store = new ApiKeyStore(dataSource);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in KontaktRoles.All)
        {
            keys[role] = (await store.CreateAsync("test-" + role, role, CancellationToken.None)).Key;
        }
        ByDatabase[connectionString] = keys;
    }

    /// <summary>The keys of the database at <paramref name="connectionString"/>, by role.</summary>
    public static IReadOnlyDictionary<string, string> For(string connectionString) =>
        ByDatabase.TryGetValue(connectionString, out var keys)
            ? keys
            : throw new InvalidOperationException("This database was not made by TestDatabaseServer, so it has no test keys.");
}
