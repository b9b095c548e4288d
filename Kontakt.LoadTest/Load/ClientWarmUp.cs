using System.Diagnostics;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// Before the clock starts: opens the run's connections and runs the generator's HTTP code until
/// .NET has compiled it fully. A fresh process first runs unoptimized code; measured, that cost the
/// first seconds of a kontakt-1m run a third of their throughput, a cost of the generator, not of
/// the service. <c>GET /health/live</c> stores nothing and asks nothing of the database. It goes
/// through the run's own transport, so the connections it opens are the ones the load reuses.
/// </summary>
public static class ClientWarmUp
{
    public readonly record struct Outcome(long Requests, long Failures);

    /// <summary>Keeps <paramref name="connections"/> requests in flight for <paramref name="duration"/>.</summary>
    public static async Task<Outcome> RunAsync(IRecordTransport transport, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<Outcome>[connections];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(transport, until, cancellationToken), CancellationToken.None);
        }
        var outcomes = await Task.WhenAll(workers);
        return new Outcome(outcomes.Sum(o => o.Requests), outcomes.Sum(o => o.Failures));
    }

    private static async Task<Outcome> WorkAsync(IRecordTransport transport, long until, CancellationToken cancellationToken)
    {
        long requests = 0, failures = 0;
        using var buffer = new RequestBuffer();
        while (Stopwatch.GetTimestamp() < until && !cancellationToken.IsCancellationRequested)
        {
            requests++;
            var result = await transport.SendAsync(TransportRequest.GetLive, ReadOnlyMemory<byte>.Empty, buffer, cancellationToken);
            failures += result.Status == 200 ? 0 : 1;
        }
        return new Outcome(requests, failures);
    }
}
