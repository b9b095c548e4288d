using Kontakt.Core.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// RFC 9457 problem responses, all of one typed result so every handler's <c>Results&lt;…&gt;</c> has a
/// single problem member. Details name fields and reasons, never submitted values.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult Validation(IReadOnlyCollection<FieldError> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid",
            Detail = errors.Count == 1 ? $"{errors.First().Field}: {errors.First().Message}" : $"{errors.Count} fields are invalid; nothing was stored.",
        });

    public static ProblemHttpResult Status(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static ProblemHttpResult Overloaded(HttpContext http, int retryAfterSeconds, string detail)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Status(StatusCodes.Status503ServiceUnavailable, "Service overloaded", detail);
    }
}
