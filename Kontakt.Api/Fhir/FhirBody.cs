using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Features;

namespace Kontakt.Api.Fhir;

/// <summary>
/// Reads a FHIR JSON request body into memory, never more than a fixed number of bytes whatever the
/// Content-Length says or the transport does, so a body can be parsed (and its entries sliced) at once.
/// </summary>
internal static class FhirBody
{
    public sealed record Outcome(ReadOnlyMemory<byte> Bytes, FhirResult? Problem);

    public static async Task<Outcome> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!IsFhirJson(request.ContentType))
        {
            return new(default, FhirOutcomes.Status(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                "Send the body as application/fhir+json (or application/json); FHIR XML is not supported."));
        }
        if (request.ContentLength > maxBytes)
        {
            return new(default, TooLarge(maxBytes));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        var buffer = new byte[(int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes)];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length == maxBytes)
                    {
                        // One more byte tells a body of exactly maxBytes from a longer one.
                        var probe = new byte[1];
                        return await request.Body.ReadAsync(probe, cancellationToken) == 0
                            ? new(buffer, null)
                            : new(default, TooLarge(maxBytes));
                    }
                    // At least 16 kB more: a Content-Length of 0 (or a small one) must not leave the buffer unable to grow.
                    Array.Resize(ref buffer, (int)Math.Min(Math.Max((long)buffer.Length * 2, 16 * 1024), maxBytes));
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return new(buffer.AsMemory(0, length), null);
                }
                length += read;
            }
        }
        catch (BadHttpRequestException error)
        {
            return new(default, error.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(maxBytes)
                : FhirOutcomes.Status(error.StatusCode, OperationOutcome.IssueType.Structure,
                    "The request body could not be read as sent (transfer encoding or timing); nothing was stored."));
        }
    }

    private static FhirResult TooLarge(int maxBytes) =>
        FhirOutcomes.Status(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooCostly, $"The body may be at most {maxBytes:N0} bytes; nothing was stored.");

    private static bool IsFhirJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals(FhirResult.ContentType, StringComparison.OrdinalIgnoreCase)
               || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || mediaType.Equals("application/json+fhir", StringComparison.OrdinalIgnoreCase);
    }
}
