using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kontakt.Core.Records;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// Reads a JSON request body ourselves rather than through parameter binding, so that every
/// way a body can be wrong (not JSON, wrong type, unknown or repeated property, too large)
/// becomes a 4xx that names the field, without echoing the value.
/// </summary>
internal static class JsonBody
{
    public sealed record Outcome<T>(T? Value, ProblemHttpResult? Problem);

    public static async Task<Outcome<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, long maxBytes, CancellationToken cancellationToken)
    {
        if (Precheck(request, maxBytes) is { } problem)
        {
            return new(default, problem);
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync(new JsonStringGuard(request.Body), typeInfo, cancellationToken);
            return value is null
                ? new(default, Problems.Validation([new FieldError("$", "the body must not be JSON null.")]))
                : new(value, null);
        }
        catch (JsonStringTooLongException error)
        {
            return new(default, Problems.Validation([error.Error]));
        }
        catch (JsonException error)
        {
            return new(default, Problems.Validation([Describe(error)]));
        }
        catch (BadHttpRequestException error)
        {
            return new(default, FromBadRequest(error, maxBytes));
        }
    }

    /// <summary>
    /// Reads a JSON array element by element and stops after <paramref name="maxItems"/> + 1, so an
    /// oversized batch is refused without ever holding more than that many records in memory.
    /// </summary>
    public static async Task<Outcome<List<T?>>> ReadArrayAsync<T>(HttpRequest request, JsonTypeInfo<T> itemTypeInfo, int maxItems, long maxBytes, CancellationToken cancellationToken)
    {
        if (Precheck(request, maxBytes) is { } problem)
        {
            return new(default, problem);
        }
        var items = new List<T?>();
        try
        {
            await foreach (var item in JsonSerializer.DeserializeAsyncEnumerable(new JsonStringGuard(request.Body), itemTypeInfo, cancellationToken))
            {
                items.Add(item);
                if (items.Count > maxItems)
                {
                    return new(default, Problems.Validation([new FieldError("$", $"a batch holds 1 to {maxItems:N0} records (got more than {maxItems:N0}).")]));
                }
            }
            return new(items, null);
        }
        catch (JsonStringTooLongException error)
        {
            return new(default, Problems.Validation([error.Error]));
        }
        catch (JsonException error)
        {
            return new(default, Problems.Validation([Describe(error)]));
        }
        catch (BadHttpRequestException error)
        {
            return new(default, FromBadRequest(error, maxBytes));
        }
    }

    private static ProblemHttpResult? Precheck(HttpRequest request, long maxBytes)
    {
        if (!HasJsonContentType(request))
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.");
        }
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        return null;
    }

    // Kestrel's verdict on the transport (body too large, malformed chunking, too slow): its own 4xx, never a 500.
    private static ProblemHttpResult FromBadRequest(BadHttpRequestException error, long maxBytes) =>
        error.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? TooLarge(maxBytes)
            : Problems.Status(error.StatusCode, "Unreadable request body", "The request body could not be read as sent (transfer encoding or timing); nothing was stored.");

    /// <summary>Turns a reader error into a field and a reason. The reader's own message is not used: it can quote input.</summary>
    internal static FieldError Describe(JsonException error)
    {
        var field = FieldOf(error.Path);
        var message = error.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return new FieldError(field, "is not a property of a record; unknown properties are rejected so that typos are caught.");
        }
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) || message.Contains("duplicate", StringComparison.Ordinal))
        {
            return new FieldError(field, "appears more than once.");
        }
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return field is "$"
                ? new FieldError(field, "the body has the wrong shape (a record is a JSON object; a batch is a JSON array of records).")
                : field.EndsWith(']') || field == "$"
                    ? new FieldError(field, "must be a JSON object with the record's properties.")
                    : new FieldError(field, "must be a JSON string.");
        }
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return new FieldError(field, "is nested too deeply.");
        }
        var where = error.LineNumber is { } line ? $" (line {line + 1}, byte {error.BytePositionInLine + 1})" : "";
        return new FieldError("$", $"the body is not valid JSON{where}.");
    }

    // "$.dob" -> "dob", "$[3].name" -> "[3].name", "$" -> "$"
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "$";
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length > 200 ? field[..200] : field;
    }

    private static bool HasJsonContentType(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The body may be at most {maxBytes:N0} bytes.");
}
