using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Kontakt.Api.OpenApi;

/// <summary>Puts the <see cref="RequestExample"/> and <see cref="ResponseExample"/> metadata of an endpoint into its operation.</summary>
internal sealed class ExamplesOperationFilter : IOperationFilter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        foreach (var example in metadata.OfType<RequestExample>())
        {
            if (operation.RequestBody?.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = ToNode(example.Value);
                }
            }
        }
        foreach (var example in metadata.OfType<ResponseExample>())
        {
            if (operation.Responses?.TryGetValue(example.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = ToNode(example.Value);
                }
            }
        }
    }

    private static JsonNode? ToNode(object value) => JsonSerializer.SerializeToNode(value, value.GetType(), Json);
}
