namespace Kontakt.LoadTest.Load;

/// <summary>
/// Sends one request and reads its whole answer into <see cref="RequestBuffer"/>'s response. Never
/// throws for what the network or the server did: that comes back as <see cref="AttemptStatus.TransportError"/>
/// or <see cref="AttemptStatus.Timeout"/>, so retries behave the same whichever client runs.
/// </summary>
public interface IRecordTransport : IDisposable
{
    /// <summary>The <c>--client</c> name, for the report.</summary>
    string Name { get; }

    /// <param name="request">Which request.</param>
    /// <param name="body">The JSON body; empty for <see cref="TransportRequest.GetLive"/>.</param>
    /// <param name="buffer">Receives the response body.</param>
    /// <param name="cancellationToken">Abandons the attempt (as a transport error).</param>
    ValueTask<TransportResult> SendAsync(TransportRequest request, ReadOnlyMemory<byte> body, RequestBuffer buffer, CancellationToken cancellationToken);
}
