using System.Net;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Security;

/// <summary>The embedded default's first-start keys: one per role, in private files; nothing with an external database.</summary>
public sealed class EmbeddedKeysTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "kontakt-keys-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        // A database as a first start sees it: no valid key.
        await _database.ScalarAsync<int>("UPDATE security.api_keys SET revoked_at = now(); SELECT 1;");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_first_start_writes_one_working_key_per_role_readable_only_by_its_user()
    {
        Assert.True(await EmbeddedKeys.EnsureAsync(_database.DataSource, _dataDirectory, default));

        var directory = EmbeddedKeys.DirectoryOf(_dataDirectory);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        var store = new ApiKeyStore(_database.DataSource);
        foreach (var role in KontaktRoles.All)
        {
            var path = EmbeddedKeys.FileOf(_dataDirectory, role);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var key = EmbeddedKeys.Read(path)!;
            Assert.Equal(role, (await store.FindAsync(key, default))?.Role);
        }
        Assert.Equal(KontaktRoles.All.Count, Directory.GetFiles(directory).Length);

        var first = EmbeddedKeys.Read(EmbeddedKeys.FileOf(_dataDirectory, KontaktRoles.Ingest));
        Assert.False(await EmbeddedKeys.EnsureAsync(_database.DataSource, _dataDirectory, default));
        Assert.Equal(first, EmbeddedKeys.Read(EmbeddedKeys.FileOf(_dataDirectory, KontaktRoles.Ingest)));
    }

    [Fact]
    public async Task With_an_external_database_the_service_creates_no_key()
    {
        await using var factory = new KontaktApiFactory(_database.ConnectionString);
        using var client = factory.CreateDefaultClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.False(await new ApiKeyStore(_database.DataSource).AnyActiveAsync(default));
    }
}
