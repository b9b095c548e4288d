using System.Diagnostics;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// Closed model: <c>concurrency</c> workers, each sending its next request as soon as the
/// previous one is acknowledged or given up. Throughput is what the service sustains at that
/// concurrency; latency is the service time of each request, retries included.
/// </summary>
public sealed class ClosedLoadModel(RequestExecutor executor, WorkQueue work, int concurrency)
{
    public async Task RunAsync(CancellationToken stop)
    {
        var workers = new Task[concurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(stop), CancellationToken.None);
        }
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && work.TryTake(out var item))
        {
            await executor.ExecuteAsync(item, Stopwatch.GetTimestamp(), stop);
        }
    }
}
