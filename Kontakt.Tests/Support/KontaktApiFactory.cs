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
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Kontakt"] = TestDatabaseServer.RuntimeConnectionString(connectionString),
                ["ConnectionStrings:KontaktMigrations"] = connectionString,
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }
            configuration.AddInMemoryCollection(values);
        });
    }
}
