using Kontakt.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Kontakt.Api.OpenApi;

/// <summary>
/// Says in each operation which roles may call it, read from the endpoint's authorization
/// metadata (so the document cannot drift from what is enforced), and which credentials it takes.
/// </summary>
internal sealed class SecurityOperationFilter(IConfiguration configuration) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Description = Append(operation.Description, "**Access:** no credentials needed.");
            operation.Security = [];
            return;
        }
        var roles = metadata.OfType<IAuthorizeData>()
            .SelectMany(a => a.Policy is { } policy && KontaktPolicies.Roles.TryGetValue(policy, out var allowed) ? allowed : [])
            .Distinct()
            .ToList();
        operation.Description = Append(operation.Description, roles.Count == 0
            ? "**Access:** no role (not opened)."
            : "**Roles:** " + string.Join(", ", roles) + ". Others get 403; no or an invalid credential gets 401.");
        operation.Security = [.. KontaktAuthentication.ChallengeSchemes(configuration)
            .Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] })];
    }

    private static string Append(string? description, string text) =>
        string.IsNullOrEmpty(description) ? text : description + "\n\n" + text;
}
