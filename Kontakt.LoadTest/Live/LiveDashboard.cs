using System.Globalization;
using Kontakt.LoadTest.Load;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kontakt.LoadTest.Live;

/// <summary>The live table shown while the run goes on (interactive terminals only).</summary>
public static class LiveDashboard
{
    public static Task ShowAsync(ProgressSampler sampler, string heading, Task run)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(run);
        return AnsiConsole.Live(Render(sampler.View(), heading))
            .AutoClear(false)
            .StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1)));
                    context.UpdateTarget(Render(sampler.View(), heading));
                }
            });
    }

    private static IRenderable Render(ProgressView view, string heading)
    {
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title(Markup.Escape(heading))
            .AddColumn("")
            .AddColumn(new TableColumn("").RightAligned());
        table.ShowHeaders = false;
        var done = view.TotalRecords == 0 ? 0 : 100.0 * view.AcknowledgedRecords / view.TotalRecords;
        Add(table, "Elapsed", $"{view.Elapsed:hh\\:mm\\:ss}");
        Add(table, "Acknowledged", $"{N(view.AcknowledgedRecords)} / {N(view.TotalRecords)} ({done.ToString("0.0", CultureInfo.InvariantCulture)} %)");
        Add(table, "Records/s (last second)", N(view.LastSecondRecordsPerSecond));
        Add(table, "Records/s (average)", N(view.AverageRecordsPerSecond));
        Add(table, "Requests in flight / waiting to retry", $"{N(view.InFlight)} / {N(view.WaitingToRetry)}");
        Add(table, "Latency so far p50 / p99 / max", $"{Ms(view.P50Ms)} / {Ms(view.P99Ms)} / {Ms(view.MaxMs)} ms");
        Add(table, "Attempts by status", StatusText.Format(view.StatusCounts));
        return table;
    }

    private static void Add(Table table, string label, string value) => table.AddRow(Markup.Escape(label), Markup.Escape(value));

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
