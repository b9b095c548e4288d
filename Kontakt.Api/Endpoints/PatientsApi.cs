using System.Globalization;
using Kontakt.Core.Records;
using Kontakt.Core.Temporal;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary><c>/v1/patients</c>: the public (de-identified) view analysts read, now and at any past system time. Never PHI.</summary>
public static class PatientsApi
{
    public const int DefaultHistoryLimit = 100;
    public const int MaxHistoryLimit = 1000;

    /// <summary>A patient's public view, now or as of a system time. No PHI.</summary>
    /// <param name="PatientId">The random patient ID.</param>
    /// <param name="FavoriteColor">The current color, or the one valid at <paramref name="AsOf"/>; null while the patient had none.</param>
    /// <param name="UpdatedAt">System time at which that color became current.</param>
    /// <param name="AsOf">The effective system time of an <c>asOf</c> read; null for a current read.</param>
    public sealed record PatientView(Guid PatientId, string? FavoriteColor, DateTimeOffset UpdatedAt, string? AsOf);

    /// <summary>One public version.</summary>
    /// <param name="FavoriteColor">The color; null while the patient had none.</param>
    /// <param name="ValidFrom">System time it became current.</param>
    /// <param name="ValidTo">System time it was replaced; null for the current version.</param>
    public sealed record VersionView(string? FavoriteColor, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);

    public static IEndpointRouteBuilder MapPatientsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/patients").WithTags("Patients");

        group.MapGet("/{patientId}", GetPatientAsync)
            .WithName("GetPatient")
            .WithSummary("Read a patient's public view, now or as of a past time")
            .WithDescription(
                "Without `asOf`: the current favorite color and when it became current (read-your-writes: a record answered 201 is visible here at once — " +
                "unless public reads go to a standby, where it is visible once replayed). " +
                "With `asOf`: the color valid at that system time, stable forever once answered; the effective time is in the body and the `Kontakt-As-Of` header; " +
                "404 if the patient did not exist yet at that time. Contains no PHI.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK, OpenApi.ApiExamples.PublicPatient));

        group.MapGet("/{patientId}/history", GetHistoryAsync)
            .WithName("GetPatientHistory")
            .WithSummary("A page of a patient's public versions, oldest first")
            .WithDescription(
                "Each version is valid in [validFrom, validTo); the current one has validTo null. Periods are contiguous and do not overlap. " +
                $"Paged: `limit` versions per page (default {DefaultHistoryLimit}, 1–{MaxHistoryLimit}); when more remain, the answer carries " +
                "`Link: </v1/patients/{patientId}/history?limit=…&after=…>; rel=\"next\"` — follow it until there is no `next` link. " +
                "`after` is an opaque continuation token; a malformed one, or a `limit` out of range, is a 400 naming the parameter.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK, OpenApi.ApiExamples.History));

        return routes;
    }

    public static async Task<Results<Ok<PatientView>, ProblemHttpResult>> GetPatientAsync(
        string patientId,
        string? asOf,
        HttpResponse response,
        PublicPatientQueries current,
        PatientTimeline timeline,
        StableHorizon horizon,
        CancellationToken cancellationToken)
    {
        if (!TryParsePatientId(patientId, out var id, out var problem) || !AsOf.TryParse(asOf, out var requested, out problem))
        {
            return problem!;
        }

        if (requested is null)
        {
            var patient = await current.FindCurrentAsync(id, cancellationToken);
            return patient is null
                ? NotFound()
                : TypedResults.Ok(new PatientView(patient.PatientId, patient.FavoriteColor, patient.UpdatedAt, AsOf: null));
        }

        var effective = await horizon.EffectiveAsync(requested, cancellationToken);
        AsOf.Stamp(response, effective);
        var version = await timeline.FindAsOfAsync(id, effective, cancellationToken);
        return version is null
            ? Problems.Status(StatusCodes.Status404NotFound, "Patient not found", "No patient had this ID at the requested time.",
                new Dictionary<string, object?> { ["asOf"] = SystemTime.Format(effective) })
            : TypedResults.Ok(new PatientView(id, version.FavoriteColor, version.ValidFrom, SystemTime.Format(effective)));
    }

    public static async Task<Results<Ok<VersionView[]>, ProblemHttpResult>> GetHistoryAsync(
        string patientId,
        string? limit,
        string? after,
        HttpResponse response,
        PatientTimeline timeline,
        CancellationToken cancellationToken)
    {
        if (!TryParsePatientId(patientId, out var id, out var problem) || !TryParseHistoryPage(limit, after, out var pageSize, out var start, out problem))
        {
            return problem!;
        }
        var page = await timeline.HistoryPageAsync(id, start, pageSize, cancellationToken);
        if (page.Versions.Count == 0 && start is null)
        {
            return NotFound();
        }
        if (page.HasMore)
        {
            var token = HistoryCursor.Encode(page.Versions[^1].ValidFrom);
            response.Headers.Link = $"</v1/patients/{id:D}/history?limit={pageSize}&after={token}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Versions.Select(v => new VersionView(v.FavoriteColor, v.ValidFrom, v.ValidTo)).ToArray());
    }

    private static bool TryParseHistoryPage(string? limit, string? after, out int pageSize, out DateTimeOffset? start, out ProblemHttpResult? problem)
    {
        problem = null;
        start = null;
        pageSize = DefaultHistoryLimit;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > MaxHistoryLimit))
        {
            problem = Problems.Validation([new FieldError("limit", $"must be a whole number from 1 to {MaxHistoryLimit}.")]);
            return false;
        }
        if (after is not null)
        {
            if (!HistoryCursor.TryDecode(after, out var lastValidFrom))
            {
                problem = Problems.Validation([new FieldError("after", "must be the continuation token of a previous page's next link.")]);
                return false;
            }
            start = lastValidFrom;
        }
        return true;
    }

    internal static bool TryParsePatientId(string text, out Guid id, out ProblemHttpResult? problem)
    {
        problem = null;
        if (Guid.TryParseExact(text, "D", out id))
        {
            return true;
        }
        problem = Problems.Validation([new FieldError("patientId", "must be a UUID such as 3f2c8a4e-0b7d-4c1e-9a51-2d6f0e8b7c90.")]);
        return false;
    }

    private static ProblemHttpResult NotFound() => Problems.Status(StatusCodes.Status404NotFound, "Patient not found", "No patient has this ID.");
}
