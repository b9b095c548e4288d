using Kontakt.Api.Endpoints;
using Kontakt.Api.OpenApi;
using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Kontakt.Core.Storage.Embedded;
using Kontakt.Core.Temporal;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kontakt.Api.Hosting;

/// <summary>Registers everything the service runs on.</summary>
public static class KontaktServices
{
    public static WebApplicationBuilder AddKontakt(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<IngestOptions>>((host, ingest) => host.ShutdownTimeout = ingest.Value.DrainTimeout);
        services.AddOptions<EmbeddedPostgresOptions>().BindConfiguration(EmbeddedPostgresOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // No "Server: Kestrel" on every answer: it tells a scanner what runs here and tells a client nothing.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        // Kestrel's default first waits for data with a zero-byte read, then reads it: a third socket
        // call per request besides the read and the answer. Skipping it costs one 4 kB buffer per idle
        // connection (40 MB for 10,000) and bought 5–10% throughput in single-record mode (docs/benchmarks.md).
        builder.WebHost.UseSockets(sockets => sockets.WaitForDataBeforeAllocatingBuffer = false);

        services.AddSingleton(provider => DatabaseSettings.From(
            provider.GetRequiredService<IConfiguration>(),
            provider.GetRequiredService<IOptions<EmbeddedPostgresOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Kontakt.Embedded")));
        services.AddSingleton(provider => CreateDataSource(provider.GetRequiredService<DatabaseSettings>().ConnectionString));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RecordValidator>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<IngestObserver>();
        services.AddSingleton<IngestLag>();
        services.AddSingleton<PublicPatientQueries>();
        services.AddSingleton<StableHorizon>();
        services.AddSingleton<PatientTimeline>();
        services.AddSingleton<PublicSnapshot>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<ServiceState>();

        // Start order matters: the database, then the schema, then the writers. They stop in reverse.
        services.AddHostedService<EmbeddedPostgresService>();
        services.AddHostedService<SchemaMigrationService>();
        services.AddHostedService<IngestWriterService>();

        services.AddHealthChecks().AddCheck<ReadinessCheck>("database-and-writers", tags: [HealthApi.ReadyTag]);
        services.AddProblemDetails();
        services.AddKontaktOpenApi();
        return builder;
    }

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "kontakt" };
        // Reads are a handful of fixed statements whose planning costs more than their execution:
        // let Npgsql prepare them per connection, unless the connection string decides otherwise.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }
        return builder.Build();
    }

    public static WebApplication UseKontakt(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseKontaktOpenApi();
        app.MapRecordsApi();
        app.MapPatientsApi();
        app.MapSnapshotsApi();
        app.MapAuditApi();
        app.MapColorsApi();
        app.MapHealthApi();
        app.MapMetricsApi();
        return app;
    }
}
