using Kontakt.Api.DropFolder;
using Kontakt.Api.Endpoints;
using Kontakt.Api.Fhir;
using Kontakt.Api.Hl7;
using Kontakt.Api.OpenApi;
using Kontakt.Api.Security;
using Kontakt.Core.Fhir;
using Kontakt.Core.Hl7;
using Kontakt.Core.Imports;
using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Kontakt.Core.Storage;
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
        services.AddOptions<SnapshotOptions>().BindConfiguration(SnapshotOptions.Section).ValidateDataAnnotations().ValidateOnStart();
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
        services.AddSingleton<BatchBodyGate>();
        services.AddSingleton<IngestObserver>();
        services.AddSingleton<IngestLag>();
        services.AddSingleton<PublicPatientQueries>();
        services.AddSingleton<PatientTimeline>();
        services.AddSingleton<SnapshotGate>();
        services.AddSingleton<PublicSnapshot>();
        AddReadDataSources(services);
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<RecordStatusQueries>();
        services.AddSingleton<ServiceState>();
        services.AddSingleton<FhirPatientMapping>();
        services.AddSingleton<FhirIngest>();
        services.AddSingleton<FhirBundles>();

        // Bulk import jobs (docs/imports.md): formats are registered as IImportFormat; FHIR and HL7 add theirs here.
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IImportFormat, CsvImportFormat>();
        services.AddSingleton<IImportFormat, NdjsonImportFormat>();
        services.AddSingleton<IImportFormat, FhirNdjsonImportFormat>();
        services.AddSingleton<ImportFormats>();
        services.AddSingleton<ImportJobStore>();
        services.AddSingleton<ImportRunner>();
        services.AddSingleton<ImportSignal>();
        services.AddOptions<DropFolderOptions>().BindConfiguration(DropFolderOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Start order matters: the database, then the schema, then the writers. They stop in reverse.
        services.AddHostedService<EmbeddedPostgresService>();
        services.AddHostedService<SchemaMigrationService>();
        services.AddHostedService<EmbeddedKeysService>();
        services.AddHostedService<IngestWriterService>();
        services.AddHostedService<StandbyMonitorService>();
        // After the writers: it stops first, so its last queued records are still drained by them.
        services.AddHostedService<ImportRunnerService>();
        services.AddHostedService<DropFolderService>();

        // HL7 v2 over MLLP: after the writers, so it stops first and its last messages still get their commit.
        services.AddOptions<Hl7Options>().BindConfiguration(Hl7Options.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AdtRecordMapper>();
        services.AddSingleton<IImportFormat, Hl7ImportFormat>();
        services.AddSingleton<Hl7MessageHandler>();
        services.AddHostedService<MllpListenerService>();

        services.AddHealthChecks()
            .AddCheck<ReadinessCheck>("database-and-writers", tags: [HealthApi.ReadyTag])
            .AddCheck<StandbyCheck>(StandbyCheck.Name, tags: [HealthApi.ReadyTag]);
        services.AddProblemDetails();
        services.AddKontaktSecurity();
        services.AddKontaktOpenApi();
        builder.AddKontaktTelemetry();
        return builder;
    }

    private const string SnapshotPool = "snapshots";

    /// <summary>
    /// Public reads (patients, history, AS-OF, snapshots, manifests, FHIR reads) go through <see cref="ReadDataSource"/>:
    /// to <c>ConnectionStrings:KontaktReadOnly</c> when set and reachable, else to the primary. The primary's own
    /// <see cref="NpgsqlDataSource"/> stays the one for writes, identity, keys and PHI, and its horizon (keyed
    /// <see cref="StableHorizon.Primary"/>) the one for PHI reads.
    /// </summary>
    private static void AddReadDataSources(IServiceCollection services)
    {
        services.AddOptions<StandbyOptions>().BindConfiguration(StandbyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new StandbyStatus(provider.GetRequiredService<DatabaseSettings>().ReadOnlyConnectionString is not null));
        services.AddSingleton(provider => provider.GetRequiredService<DatabaseSettings>().ReadOnlyConnectionString is { } standby
            ? new StandbyDataSources(
                CreateDataSource(standby, "kontakt-standby"),
                CreateSnapshotDataSource(standby, provider.GetRequiredService<IOptions<SnapshotOptions>>().Value, "kontakt-standby-snapshots"))
            : new StandbyDataSources(null, null));
        services.AddKeyedSingleton(SnapshotPool, (provider, _) => CreateSnapshotDataSource(
            provider.GetRequiredService<DatabaseSettings>().ConnectionString, provider.GetRequiredService<IOptions<SnapshotOptions>>().Value, "kontakt-snapshots"));
        services.AddSingleton(provider => new ReadDataSource(
            provider.GetRequiredService<NpgsqlDataSource>(),
            provider.GetRequiredService<StandbyDataSources>().Reads,
            provider.GetRequiredService<StandbyStatus>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new SnapshotDataSource(
            new ReadDataSource(
                provider.GetRequiredKeyedService<NpgsqlDataSource>(SnapshotPool),
                provider.GetRequiredService<StandbyDataSources>().Snapshots,
                provider.GetRequiredService<StandbyStatus>(),
                provider.GetRequiredService<TimeProvider>()),
            provider.GetRequiredService<IOptions<SnapshotOptions>>().Value.Timeout));
        services.AddSingleton(provider => new StableHorizon(provider.GetRequiredService<ReadDataSource>()));
        services.AddKeyedSingleton(StableHorizon.Primary, (provider, _) =>
            new StableHorizon(ReadDataSource.PrimaryOnly(provider.GetRequiredService<NpgsqlDataSource>())));
    }

    private static NpgsqlDataSource CreateSnapshotDataSource(string connectionString, SnapshotOptions options, string name)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
        builder.ConnectionStringBuilder.MaxPoolSize = options.MaxConcurrent;
        builder.ConnectionStringBuilder.MinPoolSize = 0;
        return builder.Build();
    }

    private static NpgsqlDataSource CreateDataSource(string connectionString, string name = "kontakt")
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
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
        // Swagger's document and UI are served before authentication: they describe the API, not its data.
        app.UseKontaktOpenApi();
        app.UseKontaktSecurity();

        // Every endpoint is opened here, for the roles of one policy; an endpoint mapped anywhere
        // else meets the fallback policy and is denied to everyone.
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Ingest).MapRecordsApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Ingest).MapImportUploadApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Imports).MapImportJobsApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Analyst).MapPatientsApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Analyst).MapSnapshotsApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Colors).MapColorsApi();
        var phi = app.MapGroup("").RequireAuthorization(KontaktPolicies.Auditor).RequireRateLimiting(PhiReadLimiter.Policy);
        phi.MapAuditApi();
        phi.MapAccessEventsApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Admin).MapAdminKeysApi();
        // FHIR: the CapabilityStatement describes the endpoint and holds no data (like Swagger), so it is open.
        app.MapGroup("").AllowAnonymous().MapFhirMetadataApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Ingest).MapFhirIngestApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Ingest).MapFhirImportApi();
        app.MapGroup("").RequireAuthorization(KontaktPolicies.Analyst).MapFhirReadApi();
        app.MapGroup("").AllowAnonymous().MapHealthApi();
        var metrics = app.MapGroup("");
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.MetricsRequireKey)
        {
            metrics.RequireAuthorization(KontaktPolicies.Admin);
        }
        else
        {
            metrics.AllowAnonymous();
        }
        metrics.MapMetricsApi();
        return app;
    }
}
