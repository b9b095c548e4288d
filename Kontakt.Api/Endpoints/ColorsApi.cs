using Kontakt.Core.Records;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Kontakt.Api.Endpoints;

/// <summary><c>/v1/colors</c>: the vocabulary <c>favoriteColor</c> is checked against. No PHI.</summary>
public static class ColorsApi
{
    /// <summary>What the vocabulary accepts besides names.</summary>
    public const string HexNote =
        "Besides these names, a hex color #rgb or #rrggbb is accepted (stored in lower case). Names match ignoring case, " +
        "with surrounding whitespace trimmed and inner runs of whitespace read as one space; spaces are part of a name " +
        "(\"sky blue\" and \"skyblue\" are two colors). The public store holds the canonical form listed here.";

    // Clients may keep the list a day and revalidate with If-None-Match; it changes only with a release.
    private const string CacheControl = "private, max-age=86400";

    private static readonly EntityTagHeaderValue ETag = new($"\"{ColorVocabulary.Default.Version}\"");

    private static readonly ColorsView Body = new(
        [.. ColorVocabulary.Default.Names.Select(n => new ColorView(n.Name, n.Sources))],
        HexNote);

    /// <summary>The vocabulary.</summary>
    /// <param name="Colors">Every name in canonical form, in ordinal order, with the lists (<c>css</c>, <c>xkcd</c>) that define it.</param>
    /// <param name="Hex">How hex colors and spelling variants are accepted.</param>
    public sealed record ColorsView(IReadOnlyList<ColorView> Colors, string Hex);

    /// <summary>One color name.</summary>
    /// <param name="Name">The canonical name.</param>
    /// <param name="Sources">The lists that define it: <c>css</c> (CSS Color Module Level 4) and/or <c>xkcd</c> (the xkcd color survey).</param>
    public sealed record ColorView(string Name, IReadOnlyList<string> Sources);

    public static IEndpointRouteBuilder MapColorsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/colors").WithTags("Colors");

        group.MapGet("/", GetColors)
            .WithName("GetColors")
            .WithSummary("The colors favoriteColor may hold")
            .WithDescription(
                "The CSS named colors and the xkcd color-survey names, in canonical form (lower case, single spaces), plus `#rgb` and `#rrggbb`. " +
                "Anything else sent as `favoriteColor` is refused with 400. Answers carry an `ETag`; send it back in `If-None-Match` for a 304.")
            .Produces<ColorsView>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status304NotModified)
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status200OK, OpenApi.ApiExamples.Colors));

        return routes;
    }

    public static Results<Ok<ColorsView>, StatusCodeHttpResult> GetColors(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var response = http.Response;
        response.Headers.ETag = ETag.ToString();
        response.Headers.CacheControl = CacheControl;
        return IsCurrent(http.Request)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(Body);
    }

    private static bool IsCurrent(HttpRequest request) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ETag, useStrongComparison: false));
}
