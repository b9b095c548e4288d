using System.Diagnostics;
using System.Net;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// Before the clock starts: opens the run's connections and runs the generator's HTTP code until
/// .NET has compiled it fully. A fresh process first runs unoptimized code; measured, that cost the
/// first seconds of a kontakt-1m run a third of their throughput, a cost of the generator, not of
/// the service. <c>GET /health/live</c> stores nothing and asks nothing of the database.
/// </summary>
public static class ClientWarmUp
{
    private static readonly Uri LivePath = new("health/live", UriKind.Relative);

    public readonly record struct Outcome(long Requests, long Failures);

    /// <summary>Keeps <paramref name="connections"/> requests in flight for <paramref name="duration"/>.</summary>
    public static async Task<Outcome> RunAsync(HttpClient http, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<Outcome>[connections];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(http, until, cancellationToken), CancellationToken.None);
        }
        var outcomes = await Task.WhenAll(workers);
        return new Outcome(outcomes.Sum(o => o.Requests), outcomes.Sum(o => o.Failures));
    }

    private static async Task<Outcome> WorkAsync(HttpClient http, long until, CancellationToken cancellationToken)
    {
        long requests = 0, failures = 0;
        while (Stopwatch.GetTimestamp() < until && !cancellationToken.IsCancellationRequested)
        {
            requests++;
            try
            {
                using var response = await http.GetAsync(LivePath, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                await response.Content.CopyToAsync(Stream.Null, cancellationToken);
                failures += response.StatusCode == HttpStatusCode.OK ? 0 : 1;
            }
            catch (HttpRequestException)
            {
                failures++;
            }
        }
        return new Outcome(requests, failures);
    }
}
