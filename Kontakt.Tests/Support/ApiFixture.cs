namespace Kontakt.Tests.Support;

/// <summary>One migrated database and the real application on a test server, shared by a test class.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private KontaktApiFactory? _factory;

    public TestDatabase Database { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _factory = new KontaktApiFactory(Database.ConnectionString);
        Client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        await Database.DisposeAsync();
    }
}
