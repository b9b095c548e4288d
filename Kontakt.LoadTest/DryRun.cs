using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kontakt.LoadTest.Data;

namespace Kontakt.LoadTest;

/// <summary><c>--dry-run</c>: show what would be sent and how fast bodies are written, send nothing.</summary>
public static class DryRun
{
    public static void Print(TextWriter output, RecordPlan plan, RecordBodyWriter bodies)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(bodies);
        output.WriteLine("Example bodies:");
        foreach (var sequence in InterestingSequences(plan).Take(13))
        {
            output.WriteLine($"  [{plan[sequence].Kind}] {Encoding.UTF8.GetString(bodies.RecordBytes(sequence))}");
        }

        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using var writer = new Utf8JsonWriter(buffer, RecordBodyWriter.WriterOptions);
        var timer = Stopwatch.StartNew();
        long bytes = 0;
        for (var sequence = 0; sequence < plan.Count; sequence++)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            bodies.WriteRecord(writer, sequence);
            writer.Flush();
            bytes += buffer.WrittenCount;
        }
        timer.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote all {plan.Count:N0} bodies ({bytes / 1024.0 / 1024.0:N1} MiB) in {timer.Elapsed.TotalMilliseconds:N0} ms: {plan.Count / Math.Max(timer.Elapsed.TotalSeconds, 1e-9):N0} bodies/s on one core."));
    }

    /// <summary>Names that show the generator's range: plain, titled, accented, apostrophes, re-sent variants.</summary>
    public static IReadOnlyList<string> ExampleNames(RecordPlan plan, int count)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. InterestingSequences(plan).Select(s => plan[s].Name).Distinct(StringComparer.Ordinal).Take(count)];
    }

    private static IEnumerable<int> InterestingSequences(RecordPlan plan)
    {
        var limit = Math.Min(plan.Count, 20_000);
        var picked = new HashSet<int>();
        IEnumerable<int> First(Func<PlannedRecord, bool> wanted, int how) =>
            Enumerable.Range(0, limit).Where(s => wanted(plan[s]) && picked.Add(s)).Take(how);

        return First(_ => true, 3)
            .Concat(First(r => r.Name.Contains('.', StringComparison.Ordinal), 2))
            .Concat(First(r => r.Name.Contains('\'', StringComparison.Ordinal), 2))
            .Concat(First(r => r.Name.Any(c => c > 127 && c != '\u00A0'), 2))
            .Concat(First(r => r.Kind.HasFlag(RecordKind.NameVariant), 2))
            .Concat(First(r => r.Kind.HasFlag(RecordKind.ColorChange), 1))
            .Concat(First(r => r.FavoriteColor is null, 1))
            .ToList();
    }
}
