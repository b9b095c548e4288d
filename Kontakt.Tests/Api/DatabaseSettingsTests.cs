using Kontakt.Api.Hosting;
using Kontakt.Core.Storage;
using Kontakt.Core.Storage.Embedded;
using Kontakt.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kontakt.Tests.Api;

public sealed class DatabaseSettingsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static DatabaseSettings From(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var embedded = configuration.GetSection(EmbeddedPostgresOptions.Section).Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        return DatabaseSettings.From(configuration, embedded, NullLogger.Instance);
    }

    [Fact]
    public void One_connection_string_does_everything_as_before()
    {
        var settings = From(("ConnectionStrings:Kontakt", "Host=db;Username=kontakt;Database=kontakt"));
        Assert.Equal(settings.ConnectionString, settings.MigrationConnectionString);
        Assert.Null(settings.RuntimeRole);
        Assert.Null(settings.Embedded);
    }

    [Fact]
    public void With_an_owner_connection_the_runtime_connections_user_is_the_role_to_grant()
    {
        var settings = From(
            ("ConnectionStrings:Kontakt", "Host=db;Username=kontakt_app;Database=kontakt"),
            ("ConnectionStrings:KontaktMigrations", "Host=db;Username=kontakt_owner;Database=kontakt"));
        Assert.Equal("kontakt_app", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Username);
        Assert.Equal("kontakt_owner", new NpgsqlConnectionStringBuilder(settings.MigrationConnectionString).Username);
        Assert.Equal("kontakt_app", settings.RuntimeRole);
    }

    [Fact]
    public void An_owner_connection_with_the_runtime_user_grants_nothing()
    {
        var settings = From(
            ("ConnectionStrings:Kontakt", "Host=db;Username=kontakt;Database=kontakt"),
            ("ConnectionStrings:KontaktMigrations", "Host=db;Username=kontakt;Database=kontakt;Timeout=30"));
        Assert.Null(settings.RuntimeRole);
    }

    [Fact]
    public void An_owner_connection_alone_is_refused_naming_the_missing_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => From(("ConnectionStrings:KontaktMigrations", "Host=db;Username=kontakt")));
        Assert.Contains("ConnectionStrings:Kontakt,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_default_migrates_as_the_superuser_and_works_as_the_runtime_role()
    {
        var options = ThrowawayCluster.NewOptions();
        try
        {
            var settings = From(("Kontakt:Embedded:DataDirectory", options.DataDirectory!));
            var runtime = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
            var owner = new NpgsqlConnectionStringBuilder(settings.MigrationConnectionString);
            Assert.NotNull(settings.Embedded);
            Assert.Equal(DatabaseRoles.EmbeddedRuntimeRole, settings.RuntimeRole);
            Assert.Equal(DatabaseRoles.EmbeddedRuntimeRole, runtime.Username);
            Assert.Equal("kontakt", owner.Username);
            Assert.Equal($"kontakt:{Environment.ProcessId}", runtime.ApplicationName);
        }
        finally
        {
            ThrowawayCluster.Remove(options);
        }
    }

    [Fact]
    public async Task A_single_superuser_connection_is_warned_about()
    {
        var logger = new ListLogger<SchemaMigrationService>();
        var settings = From(("ConnectionStrings:Kontakt", database.ConnectionString));
        await new SchemaMigrationService(settings, new ServiceState(), logger).StartAsync(CancellationToken.None);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("superuser", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Separate_owner_and_runtime_connections_grant_the_runtime_role_without_a_warning()
    {
        var logger = new ListLogger<SchemaMigrationService>();
        var settings = From(("ConnectionStrings:Kontakt", database.RuntimeConnectionString), ("ConnectionStrings:KontaktMigrations", database.ConnectionString));
        await new SchemaMigrationService(settings, new ServiceState(), logger).StartAsync(CancellationToken.None);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(logger.Entries, e => e.Message.Contains(settings.RuntimeRole!, StringComparison.Ordinal));
    }
}
