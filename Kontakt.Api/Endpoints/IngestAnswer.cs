using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Kontakt.Core.Records;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// A 201 or 202 of the ingest endpoints. Serialized up front so the answer goes out with a
/// Content-Length in one write: the framework's JSON results stream the body chunked, which cost
/// a second write per answer (the closing chunk) on the busiest path of the service.
/// </summary>
internal sealed class IngestAnswer : IResult, IStatusCodeHttpResult
{
    private readonly int _statusCode;
    private readonly byte[] _body;

    private IngestAnswer(int statusCode, byte[] body)
    {
        _statusCode = statusCode;
        _body = body;
    }

    public int? StatusCode => _statusCode;

    public static IngestAnswer Created(RecordResult result) => new(StatusCodes.Status201Created, Serialize(result, IngestJsonContext.Default.RecordResult));

    public static IngestAnswer Created(RecordResult[] results) => new(StatusCodes.Status201Created, Serialize(results, IngestJsonContext.Default.RecordResultArray));

    public static IngestAnswer Accepted(RecordQueued queued) => new(StatusCodes.Status202Accepted, Serialize(queued, IngestJsonContext.Default.RecordQueued));

    public static IngestAnswer Accepted(BatchQueued queued) => new(StatusCodes.Status202Accepted, Serialize(queued, IngestJsonContext.Default.BatchQueued));

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = _statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = _body.Length;
        return response.Body.WriteAsync(_body, 0, _body.Length, httpContext.RequestAborted);
    }

    private static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
}

/// <summary>Source-generated JSON for the ingest answers, with the web defaults (camelCase) every other answer uses.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RecordResult))]
[JsonSerializable(typeof(RecordResult[]))]
[JsonSerializable(typeof(RecordQueued))]
[JsonSerializable(typeof(BatchQueued))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
