using Kontakt.Core.Records;
using Kontakt.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary><c>/v1/admin/keys</c>: create, list and revoke API keys. Admins only; the same as the <c>keys</c> command line.</summary>
public static class AdminKeysApi
{
    /// <summary>Body of a key creation.</summary>
    /// <param name="Role">ingest, analyst, auditor or admin.</param>
    /// <param name="Name">A label unique among keys that are not revoked: letters, digits, <c>. _ @ -</c>.</param>
    public sealed record NewKeyRequest(string? Role, string? Name);

    public static IEndpointRouteBuilder MapAdminKeysApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/admin/keys").WithTags("Admin");

        group.MapPost("/", CreateAsync)
            .WithName("CreateApiKey")
            .WithSummary("Create an API key")
            .WithDescription("Answers the key itself, once: only its SHA-256 is stored. 409 if a key that is not revoked has the name.")
            .WithMetadata(new OpenApi.RequestExample(new NewKeyRequest(KontaktRoles.Ingest, "clinic-7-feed")))
            .WithMetadata(new OpenApi.ResponseExample(StatusCodes.Status201Created,
                new CreatedApiKey("clinic-7-feed", KontaktRoles.Ingest, "kontakt_3q2-7wEzTb1pY9mVxHn4cKdLs0aRfGuJ6iOeW8tZyBk", DateTimeOffset.Parse("2026-12-01T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture))));

        group.MapGet("/", ListAsync)
            .WithName("ListApiKeys")
            .WithSummary("Every key, revoked ones included, without key material");

        group.MapDelete("/{name}", RevokeAsync)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke the key with this name")
            .WithDescription("Takes effect on every replica within 5 seconds. 404 if no key that is not revoked has the name.");

        return routes;
    }

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NewKeyRequest body, ApiKeyStore keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new List<FieldError>();
        if (ApiKeyStore.RoleProblem(body.Role) is { } roleProblem)
        {
            errors.Add(new FieldError("role", roleProblem + "."));
        }
        if (ApiKeyStore.NameProblem(body.Name) is { } nameProblem)
        {
            errors.Add(new FieldError("name", nameProblem + "."));
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(
                errors.ToDictionary(e => e.Field, e => new[] { e.Message }),
                detail: string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
                title: "The request is invalid");
        }
        try
        {
            var created = await keys.CreateAsync(body.Name!, body.Role!, cancellationToken);
            return TypedResults.Created($"/v1/admin/keys/{Uri.EscapeDataString(created.Name)}", created);
        }
        catch (ApiKeyNameTakenException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Name taken",
                detail: "A key that is not revoked already has this name. Revoke it first, or choose another name.");
        }
    }

    public static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListAsync(ApiKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string name, ApiKeyStore keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(name, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: "No key that is not revoked has this name.");
}
