using Kontakt.Core.Records;

namespace Kontakt.Api.Endpoints;

/// <summary>RFC 9457 problem responses. Details name fields and reasons, never submitted values.</summary>
internal static class Problems
{
    public static IResult Validation(IReadOnlyCollection<FieldError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: errors.Count == 1 ? $"{errors.First().Field}: {errors.First().Message}" : $"{errors.Count} fields are invalid; nothing was stored.",
            title: "The request is invalid");

    public static IResult Status(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static IResult Overloaded(HttpContext http, int retryAfterSeconds, string detail)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Status(StatusCodes.Status503ServiceUnavailable, "Service overloaded", detail);
    }
}
