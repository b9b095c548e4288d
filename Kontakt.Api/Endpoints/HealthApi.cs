using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kontakt.Api.Endpoints;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (database, schema and writers).</summary>
public static class HealthApi
{
    public const string ReadyTag = "ready";

    /// <summary>Body of both health endpoints.</summary>
    public sealed record HealthReportBody(string Status, IReadOnlyDictionary<string, string?> Checks);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").WithTags("Health");

        group.MapGet("/live", GetLive)
            .WithName("Live")
            .WithSummary("Liveness: the process is up and answering")
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK, new HealthReportBody("Healthy", new Dictionary<string, string?>())));

        group.MapGet("/ready", GetReadyAsync)
            .WithName("Ready")
            .WithSummary("Readiness: database reachable, migrations applied, writers running")
            .WithDescription("200 when the service can take records — status `Degraded` when it can but a part is down (an unreachable standby: public reads go to the primary); 503 (with the failing check) when it cannot.")
            .Produces<HealthReportBody>(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK,
                new HealthReportBody("Healthy", new Dictionary<string, string?> { ["database-and-writers"] = "2 writers running." })));

        return routes;
    }

    public static Ok<HealthReportBody> GetLive() =>
        TypedResults.Ok(new HealthReportBody("Healthy", new Dictionary<string, string?>()));

    public static async Task<Results<Ok<HealthReportBody>, JsonHttpResult<HealthReportBody>>> GetReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        var body = new HealthReportBody(report.Status.ToString(), report.Entries.ToDictionary(e => e.Key, e => e.Value.Description));
        return report.Status != HealthStatus.Unhealthy
            ? TypedResults.Ok(body)
            : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
