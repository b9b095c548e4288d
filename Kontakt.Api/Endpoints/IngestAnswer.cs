using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Kontakt.Core.Records;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// The 201 and 202 answers of the ingest endpoints. Serialized up front so the answer goes out with a
/// Content-Length in one write: the framework's JSON results stream the body chunked, which cost
/// a second write per answer (the closing chunk) on the busiest path of the service.
/// </summary>
internal static class IngestAnswer
{
    public static IngestCreated<RecordResult> Created(RecordResult result) => new(Serialize(result, IngestJsonContext.Default.RecordResult), result);

    public static IngestCreated<RecordResult[]> Created(RecordResult[] results) => new(Serialize(results, IngestJsonContext.Default.RecordResultArray), results);

    public static IngestAccepted<RecordQueued> Accepted(RecordQueued queued) => new(Serialize(queued, IngestJsonContext.Default.RecordQueued), queued);

    public static IngestAccepted<BatchQueued> Accepted(BatchQueued queued) => new(Serialize(queued, IngestJsonContext.Default.BatchQueued), queued);

    internal static Task WriteAsync(HttpContext httpContext, int statusCode, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, httpContext.RequestAborted);
    }

    internal static void Declare(EndpointBuilder builder, int statusCode, Type type) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, type, ["application/json"]));

    private static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
}

/// <summary>201: the records are committed; the body is their results.</summary>
public sealed class IngestCreated<T>(byte[] body, T value) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status201Created;

    public T? Value => value;

    object? IValueHttpResult.Value => value;

    public Task ExecuteAsync(HttpContext httpContext) => IngestAnswer.WriteAsync(httpContext, StatusCodes.Status201Created, body);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        IngestAnswer.Declare(builder, StatusCodes.Status201Created, typeof(T));
}

/// <summary>202: the records are queued (<c>Prefer: respond-async</c>), not yet durable.</summary>
public sealed class IngestAccepted<T>(byte[] body, T value) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status202Accepted;

    public T? Value => value;

    object? IValueHttpResult.Value => value;

    public Task ExecuteAsync(HttpContext httpContext) => IngestAnswer.WriteAsync(httpContext, StatusCodes.Status202Accepted, body);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        IngestAnswer.Declare(builder, StatusCodes.Status202Accepted, typeof(T));
}

/// <summary>Source-generated JSON for the ingest answers, with the web defaults (camelCase) every other answer uses.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RecordResult))]
[JsonSerializable(typeof(RecordResult[]))]
[JsonSerializable(typeof(RecordQueued))]
[JsonSerializable(typeof(BatchQueued))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
