using Kontakt.Core.Temporal;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Kontakt.Api.Endpoints;

/// <summary><c>/v1/snapshots</c>: the whole public store as of a system time, streamed, and its manifest.</summary>
public static class SnapshotsApi
{
    /// <summary>Body of the manifest.</summary>
    /// <param name="AsOf">The effective system time.</param>
    /// <param name="Patients">Rows in the snapshot.</param>
    /// <param name="Sha256">SHA-256 (lowercase hex) of the canonical NDJSON export for that time.</param>
    public sealed record ManifestView(string AsOf, long Patients, string Sha256);

    public static IEndpointRouteBuilder MapSnapshotsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/snapshots").WithTags("Snapshots");

        group.MapGet("/public", GetPublicSnapshotAsync)
            .WithName("GetPublicSnapshot")
            .WithSummary("Every patient's public row valid at a system time, streamed")
            .WithDescription(
                "NDJSON (`application/x-ndjson`, one `{\"patientId\",\"favoriteColor\"}` per line) by default; CSV with a header row when `Accept: text/csv`. " +
                "Rows are ordered by patient ID so two exports diff cleanly. Streamed from one read-only REPEATABLE READ transaction in constant memory. " +
                "The effective time is in the `Kontakt-As-Of` header. " +
                "At most `Kontakt:Snapshots:MaxConcurrent` exports run at once (their own connection pool, so they never slow ingest); beyond it 429 with `Retry-After`. " +
                "An export longer than `Kontakt:Snapshots:Timeout` is cut off. " + AsOf.ParameterDescription)
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson", "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK, OpenApi.ApiExamples.SnapshotLines));

        group.MapGet("/public/manifest", GetManifestAsync)
            .WithName("GetPublicSnapshotManifest")
            .WithSummary("Row count and SHA-256 of the public snapshot at a system time")
            .WithDescription("Two exports for the same `asOf` have the same manifest, whatever was ingested in between; a manifest once computed is served from memory. " + AsOf.ParameterDescription)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK, OpenApi.ApiExamples.Manifest));

        return routes;
    }

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> GetPublicSnapshotAsync(
        string? asOf, HttpContext http, StableHorizon horizon, PublicSnapshot snapshot, SnapshotGate gate, CancellationToken cancellationToken)
    {
        if (!AsOf.TryParse(asOf, out var requested, out var problem))
        {
            return problem!;
        }
        var effective = await horizon.EffectiveAsync(requested, cancellationToken);
        var format = WantsCsv(http.Request) ? SnapshotFormat.Csv : SnapshotFormat.NdJson;
        var slot = gate.TryEnter();
        if (slot is null)
        {
            return TooMany(http.Response);
        }
        // The slot is held until the download ends, released even if the stream is never started.
        http.Response.RegisterForDispose(slot);

        AsOf.Stamp(http.Response, effective);
        return TypedResults.Stream(
            async body =>
            {
                using (slot)
                {
                    await snapshot.WriteAsync(effective, format, async (chunk, token) => await body.WriteAsync(chunk, token), cancellationToken);
                }
            },
            contentType: format == SnapshotFormat.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
            fileDownloadName: $"kontakt-public-{SystemTime.Format(effective).Replace(':', '-')}.{(format == SnapshotFormat.Csv ? "csv" : "ndjson")}");
    }

    public static async Task<Results<Ok<ManifestView>, ProblemHttpResult>> GetManifestAsync(
        string? asOf, HttpResponse response, StableHorizon horizon, PublicSnapshot snapshot, SnapshotGate gate, CancellationToken cancellationToken)
    {
        if (!AsOf.TryParse(asOf, out var requested, out var problem))
        {
            return problem!;
        }
        var effective = await horizon.EffectiveAsync(requested, cancellationToken);
        AsOf.Stamp(response, effective);
        SnapshotManifest manifest;
        if (snapshot.HasCachedManifest(effective))
        {
            manifest = await snapshot.ManifestAsync(effective, cancellationToken);
        }
        else
        {
            // Computing a manifest reads the whole snapshot: it counts as an export.
            using var slot = gate.TryEnter();
            if (slot is null)
            {
                return TooMany(response);
            }
            manifest = await snapshot.ManifestAsync(effective, cancellationToken);
        }
        return TypedResults.Ok(new ManifestView(SystemTime.Format(manifest.AsOf), manifest.Patients, manifest.Sha256));
    }

    private static ProblemHttpResult TooMany(HttpResponse response)
    {
        response.Headers.RetryAfter = SnapshotGate.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Status(StatusCodes.Status429TooManyRequests, "Too many exports", "The most exports allowed at once are running; retry later.");
    }

    private static bool WantsCsv(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
}
