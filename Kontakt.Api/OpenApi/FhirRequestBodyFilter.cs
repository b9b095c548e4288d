using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Kontakt.Api.OpenApi;

/// <summary>
/// Endpoint metadata: the endpoint reads an <c>application/fhir+json</c> body itself. Declared this way rather
/// than with <c>Accepts</c>, whose routing check would answer another media type with a ProblemDetails 415
/// before the endpoint could answer it with a FHIR OperationOutcome.
/// </summary>
internal sealed record FhirRequestBody(string ExampleJson);

/// <summary>Puts the <see cref="FhirRequestBody"/> of an endpoint into its operation, with its example.</summary>
internal sealed class FhirRequestBodyFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<FhirRequestBody>().FirstOrDefault() is not { } body)
        {
            return;
        }
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/fhir+json"] = new() { Example = JsonNode.Parse(body.ExampleJson) },
            },
        };
    }
}
