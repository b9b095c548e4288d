using System.Diagnostics;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// Open model: request k is due at start + k × (records per request) / rate, whatever the
/// service is doing. Latency counts from that intended time, so when the service stalls, or
/// the <c>concurrency</c> cap holds a request back, the wait shows up as latency instead of
/// silently lowering the offered load (coordinated omission).
/// </summary>
public sealed class OpenLoadModel(RequestExecutor executor, WorkQueue work, int concurrency, double recordsPerSecond, int recordsPerRequest)
{
    private Exception? _unexpected;

    public async Task RunAsync(CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var ticksPerRequest = Stopwatch.Frequency * (double)recordsPerRequest / recordsPerSecond;
        var start = Stopwatch.GetTimestamp();
        for (var index = 0; index < work.Requests && !stop.IsCancellationRequested; index++)
        {
            var intended = start + (long)(index * ticksPerRequest);
            var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), intended);
            try
            {
                if (early > TimeSpan.Zero)
                {
                    // Never send before the intended time; a late wake-up is measured as latency.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(early.TotalMilliseconds)), stop);
                }
                await slots.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            _ = SendAsync(work.ItemAt(index), intended, slots, stop);
        }
        for (var i = 0; i < concurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }
        if (_unexpected is not null)
        {
            throw new InvalidOperationException("A request failed unexpectedly.", _unexpected);
        }
    }

    private async Task SendAsync(WorkItem item, long intended, SemaphoreSlim slots, CancellationToken stop)
    {
        try
        {
            await executor.ExecuteAsync(item, intended, stop);
        }
        catch (Exception error)
        {
            // Nobody awaits this task: keep the error for RunAsync to rethrow.
            Interlocked.CompareExchange(ref _unexpected, error, null);
        }
        finally
        {
            slots.Release();
        }
    }
}
