using System.Globalization;
using Kontakt.Api.Security;
using Kontakt.Core.Records;
using Kontakt.Core.Security;
using Kontakt.Core.Temporal;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary><c>/v1/audit/access-events</c>: the access log of PHI reads, for auditors.</summary>
public static class AccessEventsApi
{
    public const int DefaultLimit = 100;

    /// <summary>One page of the access log.</summary>
    /// <param name="Events">Newest first.</param>
    /// <param name="Next">Pass as <c>cursor</c> (with the same filters) for the next, older page; null on the last page.</param>
    public sealed record AccessEventsPage(IReadOnlyList<AccessEventView> Events, string? Next);

    public static IEndpointRouteBuilder MapAccessEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/audit").WithTags("Audit (PHI)")
            .MapGet("/access-events", GetAsync)
            .WithName("GetAccessEvents")
            .WithSummary("Who read PHI, or tried to: the access log, newest first")
            .WithDescription(
                "Every read of PHI and every refused attempt (401, 403, 429) on a PHI endpoint, with time, actor (key name or token subject), role, " +
                "action, patient IDs, client address and outcome (allowed, not_found, denied, unauthenticated, rate_limited). " +
                "Filters combine: `patientId`, `actor` (exact), `from` (inclusive) and `to` (exclusive) as ISO 8601 times. " +
                $"`limit` 1–{AccessLog.MaxPageSize} (default {DefaultLimit}); `cursor` is the `next` of the previous page.")
            .WithMetadata(new AccessAudited(AccessActions.AccessEventsRead));
        return routes;
    }

    public static async Task<Results<Ok<AccessEventsPage>, ValidationProblem>> GetAsync(
        string? patientId, string? actor, string? from, string? to, string? limit, string? cursor, AccessLog log, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        Guid? patient = null;
        if (patientId is not null)
        {
            if (Guid.TryParse(patientId, out var parsed))
            {
                patient = parsed;
            }
            else
            {
                errors.Add(new FieldError("patientId", "must be a UUID."));
            }
        }
        var start = ParseTime("from", from, errors);
        var end = ParseTime("to", to, errors);
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > AccessLog.MaxPageSize))
        {
            errors.Add(new FieldError("limit", $"must be a whole number from 1 to {AccessLog.MaxPageSize}."));
        }
        long? before = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                before = parsed;
            }
            else
            {
                errors.Add(new FieldError("cursor", "must be the next value of a previous page."));
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(
                errors.ToDictionary(e => e.Field, e => new[] { e.Message }),
                detail: string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
                title: "The request is invalid");
        }
        var page = await log.QueryAsync(new AccessEventFilter(patient, actor, start, end), size, before, cancellationToken);
        return TypedResults.Ok(new AccessEventsPage(page.Events, page.NextBefore?.ToString(CultureInfo.InvariantCulture)));
    }

    private static DateTimeOffset? ParseTime(string field, string? text, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }
        if (SystemTime.TryParse(text, out var time))
        {
            return time;
        }
        errors.Add(new FieldError(field, "must be an ISO 8601 date-time with a UTC offset or Z, such as 2026-11-22T10:03:00Z."));
        return null;
    }
}
