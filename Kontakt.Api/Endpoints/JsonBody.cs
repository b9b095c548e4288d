using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kontakt.Core.Records;
using Microsoft.AspNetCore.Http.Features;

namespace Kontakt.Api.Endpoints;

/// <summary>
/// Reads a JSON request body ourselves rather than through parameter binding, so that every
/// way a body can be wrong (not JSON, wrong type, unknown or repeated property, too large)
/// becomes a 4xx that names the field, without echoing the value.
/// </summary>
internal static class JsonBody
{
    public sealed record Outcome<T>(T? Value, IResult? Problem);

    public static async Task<Outcome<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, long maxBytes, CancellationToken cancellationToken)
    {
        if (!HasJsonContentType(request))
        {
            return new(default, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the body as application/json."));
        }
        if (request.ContentLength > maxBytes)
        {
            return new(default, TooLarge(maxBytes));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellationToken);
            return value is null
                ? new(default, Problems.Validation([new FieldError("$", "the body must not be JSON null.")]))
                : new(value, null);
        }
        catch (JsonException error)
        {
            return new(default, Problems.Validation([Describe(error)]));
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(default, TooLarge(maxBytes));
        }
    }

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

    private static IResult TooLarge(long maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The body may be at most {maxBytes:N0} bytes.");
}
