using Kontakt.Api.Endpoints;
using Kontakt.Core.Ingest;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kontakt.Api.Hosting;

/// <summary>
/// Metrics, traces and their exporters through OpenTelemetry (docs/operations.md, "Metrics" and "Traces").
/// Metrics are always collected and served on <c>/metrics</c>; traces (and an OTLP copy of the metrics)
/// only when an OTLP endpoint is configured, so an untraced service pays nothing for tracing.
/// </summary>
internal static class KontaktTelemetry
{
    /// <summary>The standard OpenTelemetry variables; either one turns on export over OTLP.</summary>
    private static readonly string[] OtlpEndpointSettings = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];

    public static WebApplicationBuilder AddKontaktTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IngestQueueGauges>();
        services.AddSingleton<ReadinessGauge>();
        services.AddSingleton<StandbyGauges>();
        services.AddSingleton<IHealthCheckPublisher>(provider => provider.GetRequiredService<ReadinessGauge>());
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.FromSeconds(1);
            publisher.Period = TimeSpan.FromSeconds(5);
            publisher.Predicate = check => check.Tags.Contains(HealthApi.ReadyTag);
        });

        // Meters made by this host's IMeterFactory (Kontakt's and ASP.NET Core's) are enabled for this
        // host only: two hosts in one process (tests, or the replica deployment's siblings) count apart.
        builder.Metrics.EnableMetrics(IngestObserver.MeterName, instrumentName: null, listenerName: null, MeterScope.Local);
        builder.Metrics.EnableMetrics("Microsoft.AspNetCore.Hosting", instrumentName: null, listenerName: null, MeterScope.Local);

        var otlp = OtlpEndpointSettings.Any(setting => !string.IsNullOrWhiteSpace(builder.Configuration[setting]));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("kontakt"))
            .WithMetrics(metrics =>
            {
                metrics.AddInstrumentation(provider => provider.GetRequiredService<IngestObserver>())
                    .AddInstrumentation(provider => provider.GetRequiredService<IngestQueueGauges>())
                    .AddInstrumentation(provider => provider.GetRequiredService<ReadinessGauge>())
                    .AddInstrumentation(provider => provider.GetRequiredService<StandbyGauges>())
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter(MetricsApi.ConfigureExporter);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(IngestTracing.SourceName)
                .AddAspNetCoreInstrumentation(ConfigureRequestSpans)
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }
        return builder;
    }

    private static void ConfigureRequestSpans(AspNetCoreTraceInstrumentationOptions options)
    {
        // Probes and scrapes arrive every few seconds and say nothing about the service's work.
        options.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
            && !http.Request.Path.StartsWithSegments(MetricsApi.Path, StringComparison.Ordinal);
        // An exception's message may quote what it was handed; the span says the request failed (error.type).
        options.RecordException = false;
        options.EnrichWithHttpResponse = (activity, response) => activity.SetTag("url.path", RoutePath(response.HttpContext));
    }

    /// <summary>
    /// The path a span reports: the route template (<c>/v1/patients/{patientId}</c>, as in http.route), never
    /// the path as sent, which carries patient IDs, record IDs (chosen by the client, often a visit or
    /// chart number) and for an unmatched route whatever the client put there. Null (no url.path) when no
    /// route matched.
    /// </summary>
    internal static string? RoutePath(HttpContext http) =>
        http.Features.Get<IEndpointFeature>()?.Endpoint is RouteEndpoint endpoint ? "/" + endpoint.RoutePattern.RawText?.TrimStart('/') : null;
}
