using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Hl7;

/// <summary>
/// The HL7 v2 listener: accepts MLLP connections on <c>Kontakt:Hl7:BindAddress</c>:<c>Kontakt:Hl7:MllpPort</c>
/// and serves each on its own (<see cref="MllpConnection"/>). A fault of one connection — broken framing, a
/// message over the bound, garbage, an idle sender — closes that connection and nothing else.
/// </summary>
internal sealed class MllpListenerService(
    IOptions<Hl7Options> options,
    Hl7MessageHandler handler,
    ILogger<MllpListenerService> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<MllpConnection, Task> _connections = new();
    private Socket? _listener;

    // Bound here, not in ExecuteAsync, so a port that is taken stops the service from starting instead of going unnoticed.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.MllpPort == 0)
        {
            logger.LogInformation("HL7 MLLP listener is off (Kontakt:Hl7:MllpPort = 0).");
            return Task.CompletedTask;
        }
        var endpoint = new IPEndPoint(IPAddress.Parse(settings.BindAddress), settings.MllpPort);
        _listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(endpoint);
            _listener.Listen(512);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            _listener.Dispose();
            // The usual cause is a second instance on the same machine: say which setting moves it.
            throw new InvalidOperationException(
                $"The HL7 MLLP listener cannot listen on {endpoint}: the port is in use. " +
                "Set Kontakt:Hl7:MllpPort to a free port, or to 0 to turn the listener off.", error);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
        logger.LogInformation("HL7 MLLP listener on {Endpoint}.", endpoint);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        var settings = options.Value;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException exception)
                {
                    // A connection reset before it was accepted, or out of descriptors: the listener carries on.
                    logger.LogWarning("HL7 MLLP accept failed: {Error}.", exception.SocketErrorCode);
                    await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    continue;
                }
                if (_connections.Count >= settings.MaxConnections)
                {
                    logger.LogWarning("HL7 MLLP connection from {Remote} closed: already {Count} connections (Kontakt:Hl7:MaxConnections).",
                        socket.RemoteEndPoint, _connections.Count);
                    socket.Dispose();
                    continue;
                }
                var connection = new MllpConnection(socket, handler, settings, logger);
                // Listed before it starts, so its removal when it ends can never come first and leave it counted forever.
                var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _connections[connection] = ServeAsync(connection, listed.Task, stoppingToken);
                listed.SetResult();
            }
        }
        finally
        {
            listener.Dispose();
            await Task.WhenAll(_connections.Values);
        }
    }

    private async Task ServeAsync(MllpConnection connection, Task listed, CancellationToken stoppingToken)
    {
        await listed;
        try
        {
            await connection.RunAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Whatever a connection meets ends that connection; the listener must outlive it.
            logger.LogError(exception, "HL7 MLLP connection from {Remote} failed.", connection.Remote);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }
}
