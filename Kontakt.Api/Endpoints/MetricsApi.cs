using OpenTelemetry.Exporter;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// <c>/metrics</c>: the OpenTelemetry Prometheus exporter's scrape endpoint (Prometheus text format, or
/// OpenMetrics when the scraper asks for it). Labels carry only fixed words such as a rejection reason:
/// never a name, date of birth, color, record ID or patient ID. What is measured: Hosting/KontaktTelemetry.cs.
/// </summary>
public static class MetricsApi
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint(Path)
            .WithTags("Operations")
            .WithName("Metrics")
            .WithSummary("Metrics in the Prometheus text format");
        return routes;
    }

    /// <summary>How the exporter writes the exposition.</summary>
    internal static void ConfigureExporter(PrometheusAspNetCoreOptions options)
    {
        options.ScrapeEndpointPath = Path;
        // Every series would otherwise carry otel_scope_name="Kontakt" (or the runtime's meter):
        // the metric names already say where they come from, and the documented series stay as written.
        options.ScopeInfoEnabled = false;
    }
}
