using System.Collections.Concurrent;
using System.Net;

namespace Kontakt.Tests.Support;

/// <summary>
/// Clients posting single records as fast as the service answers, each with a recordId of its own,
/// keeping the IDs of every record the service acknowledged (201, or 202 with <c>respond-async</c>).
/// Failed requests (a killed process, a refused connection) are expected under faults and only counted.
/// </summary>
public sealed class IngestLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;
    private long _attempts;

    private IngestLoad(Func<HttpClient> client, int clients, bool respondAsync, string prefix)
    {
        _clients = Enumerable.Range(0, clients)
            .Select(index => Task.Run(() => RunAsync(client, respondAsync, $"{prefix}-{index}")))
            .ToArray();
    }

    /// <summary>Record IDs acknowledged so far.</summary>
    public IReadOnlyCollection<string> Acknowledged => _acknowledged.ToArray();

    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Starts <paramref name="clients"/> loops; <paramref name="client"/> is asked for each request, so a test can move the load to another process.</summary>
    public static IngestLoad Start(Func<HttpClient> client, int clients, bool respondAsync, string prefix) =>
        new(client, clients, respondAsync, prefix);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(Func<HttpClient> client, bool respondAsync, string prefix)
    {
        var expected = respondAsync ? HttpStatusCode.Accepted : HttpStatusCode.Created;
        for (var sequence = 0; !_stop.IsCancellationRequested; sequence++)
        {
            var recordId = $"{prefix}-{sequence}-{Guid.NewGuid():N}";
            Interlocked.Increment(ref _attempts);
            try
            {
                using var response = await client().PostRecordAsync(
                    ApiJson.Record(TestRecords.UniqueName("Load"), recordId: recordId),
                    respondAsync ? "respond-async" : null);
                if (response.StatusCode == expected)
                {
                    _acknowledged.Enqueue(recordId);
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(20);
            }
            catch (TaskCanceledException)
            {
            }
        }
    }
}
