using System.Globalization;
using System.Net;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Hl7;

/// <summary>The real application with its MLLP listener on a free loopback port, on a test database of its own.</summary>
public sealed class MllpFixture : IAsyncLifetime
{
    // Long enough that a test client stalled by the whole suite running on two cores is not taken for an idle
    // one: at 3 s, the trickling sender once paused longer between two bytes and found its connection closed.
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);

    private KontaktApiFactory? _factory;

    public TestDatabase Database { get; } = new();

    public int Port { get; } = FreePorts.Next();

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _factory = new KontaktApiFactory(Database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Hl7:MllpPort"] = Port.ToString(CultureInfo.InvariantCulture),
            ["Kontakt:Hl7:IdleTimeout"] = IdleTimeout.ToString("c", CultureInfo.InvariantCulture),
        });
        Client = _factory.CreateClient();
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "the service never became ready");
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
