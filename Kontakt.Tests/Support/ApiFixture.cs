namespace Kontakt.Tests.Support;

/// <summary>One migrated database and the real application on a test server, shared by a test class.</summary>
public class ApiFixture : IAsyncLifetime
{
    private KontaktApiFactory? _factory;

    public TestDatabase Database { get; } = new();

    /// <summary>Sends the key of the role each path needs (see <see cref="RoleKeyHandler"/>).</summary>
    public HttpClient Client { get; private set; } = null!;

    public KontaktApiFactory Factory => _factory ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _factory = new KontaktApiFactory(Database.ConnectionString);
        Serve(_factory);
        Client = _factory.CreateClient();
    }

    /// <summary>How the application is served: the in-memory test server unless a subclass says otherwise.</summary>
    protected virtual void Serve(KontaktApiFactory factory)
    {
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
