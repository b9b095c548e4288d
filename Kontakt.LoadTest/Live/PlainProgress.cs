using System.Globalization;
using Kontakt.LoadTest.Load;

namespace Kontakt.LoadTest.Live;

/// <summary>Without a live table (redirected output, <c>--no-live</c>): one progress line every few seconds.</summary>
public static class PlainProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public static async Task ShowAsync(ProgressSampler sampler, Task run, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        while (true)
        {
            await Task.WhenAny(run, Task.Delay(Interval));
            if (run.IsCompleted)
            {
                return;
            }
            var view = sampler.View();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{view.Elapsed:hh\\:mm\\:ss}] {view.AcknowledgedRecords:N0}/{view.TotalRecords:N0} acknowledged, {view.LastSecondRecordsPerSecond:N0}/s now, {view.AverageRecordsPerSecond:N0}/s average, {view.InFlight} in flight, {view.WaitingToRetry} waiting to retry, p50 {view.P50Ms:0.##} ms, p99 {view.P99Ms:0.##} ms; {StatusText.Format(view.StatusCounts)}"));
        }
    }
}
