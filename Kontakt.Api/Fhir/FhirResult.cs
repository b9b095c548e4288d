using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;

namespace Kontakt.Api.Fhir;

/// <summary>
/// A FHIR answer: a status, an optional resource serialized as <c>application/fhir+json</c>, and the
/// headers FHIR clients read (<c>Location</c>, <c>Retry-After</c>, <c>Preference-Applied</c>).
/// </summary>
public sealed class FhirResult(int statusCode, Resource? resource) : IResult, IStatusCodeHttpResult
{
    public const string ContentType = "application/fhir+json";

    private static readonly FhirJsonSerializer Serializer = new();

    public int? StatusCode => statusCode;

    /// <summary>The resource sent as the body; null for an empty body.</summary>
    public Resource? Resource => resource;

    public string? Location { get; init; }

    /// <summary>Where to poll an asynchronous request (<c>$import</c>).</summary>
    public string? ContentLocation { get; init; }

    public int? RetryAfterSeconds { get; init; }

    public string? PreferenceApplied { get; init; }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }
        if (ContentLocation is not null)
        {
            response.Headers.ContentLocation = ContentLocation;
        }
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (PreferenceApplied is not null)
        {
            response.Headers["Preference-Applied"] = PreferenceApplied;
        }
        if (resource is null)
        {
            response.ContentLength = 0;
            return Task.CompletedTask;
        }
        var body = Serializer.SerializeToBytes(resource);
        response.ContentType = ContentType + "; charset=utf-8";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, httpContext.RequestAborted);
    }
}
