using System.Net.Http.Headers;

namespace Kontakt.LoadTest.Load;

/// <summary>The default client: the run's shared <see cref="HttpClient"/> (see <see cref="LoadHttpClient"/>).</summary>
public sealed class HttpClientTransport(HttpClient http) : IRecordTransport
{
    private static readonly Uri SinglePath = new("v1/records", UriKind.Relative);
    private static readonly Uri BatchPath = new("v1/records/batch", UriKind.Relative);
    private static readonly Uri LivePath = new("health/live", UriKind.Relative);

    public string Name => "http";

    public async ValueTask<TransportResult> SendAsync(TransportRequest request, ReadOnlyMemory<byte> body, RequestBuffer buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        using var message = Message(request, body);
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await buffer.ReadResponseAsync(response.Content, cancellationToken);
            return new TransportResult((int)response.StatusCode, RetryAfterOf(response), null);
        }
        catch (TaskCanceledException error) when (error.InnerException is TimeoutException)
        {
            return TransportResult.Failed(AttemptStatus.Timeout, error.Message);
        }
        catch (Exception error) when (error is HttpRequestException or IOException or OperationCanceledException)
        {
            return TransportResult.Failed(AttemptStatus.TransportError, error.Message);
        }
    }

    private static HttpRequestMessage Message(TransportRequest request, ReadOnlyMemory<byte> body)
    {
        if (request == TransportRequest.GetLive)
        {
            return new HttpRequestMessage(HttpMethod.Get, LivePath);
        }
        var message = new HttpRequestMessage(HttpMethod.Post, request == TransportRequest.PostBatch ? BatchPath : SinglePath)
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (request == TransportRequest.PostRecordRespondAsync)
        {
            message.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        }
        return message;
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    // The HttpClient belongs to the run: the readiness check and the visibility sampler use it too.
    public void Dispose()
    {
    }
}
