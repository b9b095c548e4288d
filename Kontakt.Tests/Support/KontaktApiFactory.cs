using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Kontakt.Tests.Support;

/// <summary>
/// The real application on a test server, pointed at a test database (the owner's connection string
/// from <see cref="TestDatabaseServer"/>), with optional setting overrides. Like a production
/// deployment it migrates as the owner and works as the database's runtime role, so every API test
/// also proves that role's grants suffice.
/// </summary>
public sealed class KontaktApiFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The database's test keys, by role.</summary>
    public IReadOnlyDictionary<string, string> Keys => TestKeys.For(connectionString);

    /// <summary>
    /// A client that sends the key of the role each path needs (<see cref="RoleKeyHandler"/>), so
    /// tests of other rules pass the access control the way a correctly configured client does.
    /// <see cref="WebApplicationFactory{TEntryPoint}.CreateDefaultClient(DelegatingHandler[])"/> without handlers sends no key.
    /// </summary>
    public new HttpClient CreateClient() => CreateDefaultClient(new RoleKeyHandler(Keys));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Kontakt"] = TestDatabaseServer.RuntimeConnectionString(connectionString),
                ["ConnectionStrings:KontaktMigrations"] = connectionString,
                // Test classes run in parallel: the MLLP listener is off unless a test gives it a free port.
                ["Kontakt:Hl7:MllpPort"] = "0",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }
            configuration.AddInMemoryCollection(values);
        });
    }
}
