namespace Kontakt.Api.OpenApi;

/// <summary>Endpoint metadata: an example request body for the OpenAPI document.</summary>
internal sealed record RequestExample(object Value);

/// <summary>Endpoint metadata: an example response body for one status code.</summary>
internal sealed record ResponseExample(int StatusCode, object Value);
