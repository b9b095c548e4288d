using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using HdrHistogram;

namespace Kontakt.LoadTest.Mllp;

/// <summary>
/// The HL7 v2 benchmark: <c>--connections</c> MLLP connections, each sending an ADT^A01 and waiting for its
/// ACK before the next (as sending systems do). With <c>--rate</c> the messages are due at fixed times
/// and latency counts from the due time (a stalled listener shows as latency, not as a lower rate);
/// without it each connection sends as soon as its ACK arrives, which measures the most messages/s.
/// Every message is a new person with a unique control ID, so every AA is a real commit.
/// </summary>
public static class MllpLoad
{
    private const long HighestLatencyMicros = 60_000_000;

    public static async Task<int> RunAsync(MllpLoadOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var runId = DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
        var counters = new Counters();
        var clients = new List<TcpClient>();
        try
        {
            for (var c = 0; c < options.Connections; c++)
            {
                var client = new TcpClient { NoDelay = true };
                await client.ConnectAsync(options.Host, options.Port);
                clients.Add(client);
            }
        }
        catch (SocketException exception)
        {
            await output.WriteLineAsync($"Cannot connect to {options.Host}:{options.Port}: {exception.SocketErrorCode}.");
            return ExitCodes.CouldNotRun;
        }

        if (options.Warmup > 0)
        {
            await RunPhaseAsync(clients, options with { Rate = null }, TimeSpan.FromSeconds(options.Warmup), $"w{runId}", new Counters());
        }
        var started = Stopwatch.GetTimestamp();
        await RunPhaseAsync(clients, options, TimeSpan.FromSeconds(options.Seconds), runId, counters);
        var elapsed = Stopwatch.GetElapsedTime(started);
        foreach (var client in clients)
        {
            client.Dispose();
        }

        var histogram = counters.Latency;
        var total = counters.Accepted + counters.Other;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"MLLP {options.Host}:{options.Port}, {options.Connections} connections, {(options.Rate is { } rate ? $"open model at {rate:N0} messages/s" : "closed model")}, {elapsed.TotalSeconds:N1} s"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  messages acknowledged: {total:N0} ({total / elapsed.TotalSeconds:N0}/s); AA {counters.Accepted:N0}, other {counters.Other:N0}, connection failures {counters.Failures:N0}"));
        if (histogram.TotalCount > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  ACK latency ms: p50 {Ms(histogram, 50):N2}  p90 {Ms(histogram, 90):N2}  p99 {Ms(histogram, 99):N2}  p99.9 {Ms(histogram, 99.9):N2}  max {histogram.GetMaxValue() / 1000.0:N2}"));
        }
        return counters.Other == 0 && counters.Failures == 0 && counters.Accepted > 0 ? ExitCodes.Passed : ExitCodes.Failed;
    }

    private static double Ms(HistogramBase histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;

    private static Task RunPhaseAsync(List<TcpClient> clients, MllpLoadOptions options, TimeSpan duration, string runId, Counters counters)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(clients.Select((client, index) => Task.Run(() => SendLoopAsync(client, index, options, start, end, runId, counters))));
    }

    private static async Task SendLoopAsync(TcpClient client, int index, MllpLoadOptions options, long start, long end, string runId, Counters counters)
    {
        var stream = client.GetStream();
        var buffer = new byte[4096];
        // Open model: connection k sends messages k, k + n, k + 2n, … of the whole schedule.
        var interval = options.Rate is { } rate ? Stopwatch.Frequency * options.Connections / (double)rate : 0;
        var offset = options.Rate is { } r ? Stopwatch.Frequency * index / (double)r : 0;
        for (long sequence = 0; ; sequence++)
        {
            var due = options.Rate is null ? Stopwatch.GetTimestamp() : start + (long)(offset + (sequence * interval));
            if (due >= end)
            {
                return;
            }
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }
            var message = Message(runId, index, sequence);
            try
            {
                await stream.WriteAsync(message);
                var ack = await ReadAckAsync(stream, buffer);
                var latency = Stopwatch.GetElapsedTime(due);
                counters.Record(ack.Contains("|AA|", StringComparison.Ordinal), (long)latency.TotalMicroseconds);
            }
            catch (IOException)
            {
                counters.Failed();
                return;
            }
        }
    }

    private static async Task<string> ReadAckAsync(NetworkStream stream, byte[] buffer)
    {
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length));
            if (read == 0)
            {
                throw new IOException("The listener closed the connection.");
            }
            length += read;
            if (length >= 2 && buffer[length - 2] == 0x1C && buffer[length - 1] == 0x0D)
            {
                return Encoding.UTF8.GetString(buffer, 1, length - 3);
            }
            if (length == buffer.Length)
            {
                throw new IOException("An ACK longer than expected.");
            }
        }
    }

    private static readonly string[] Colors = ["green", "Sky Blue", "teal", "#a0b", "LightGoldenRodYellow", "burnt orange"];

    // A new person per message: family name from the run, connection and sequence; DOB spread over a century.
    private static byte[] Message(string runId, int connection, long sequence)
    {
        var day = new DateOnly(1920, 1, 1).AddDays((int)((sequence * 7919 + connection * 104729) % 36500));
        var color = Colors[(int)(sequence % Colors.Length)];
        var controlId = string.Create(CultureInfo.InvariantCulture, $"{runId}-{connection}-{sequence}");
        var now = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"MSH|^~\\&|LOADTEST|BENCH|KONTAKT|KONTAKT|{now}||ADT^A01^ADT_A01|{controlId}|P|2.5.1||||||UNICODE UTF-8\rEVN|A01|{now}\rPID|1||{controlId}^^^BENCH^MR||Lt{runId}c{connection}s{sequence}^Ada^Marie^^Dr.||{day:yyyyMMdd}|F\rPV1|1|O\rOBX|1|ST|favorite-color^Favorite color^L||{color}||||||F\r");
        return [0x0B, .. Encoding.UTF8.GetBytes(text), 0x1C, 0x0D];
    }

    private sealed class Counters
    {
        private long _accepted;
        private long _other;
        private long _failures;

        public LongConcurrentHistogram Latency { get; } = new(1, HighestLatencyMicros, 3);

        public long Accepted => Interlocked.Read(ref _accepted);

        public long Other => Interlocked.Read(ref _other);

        public long Failures => Interlocked.Read(ref _failures);

        public void Record(bool accepted, long micros)
        {
            if (accepted)
            {
                Interlocked.Increment(ref _accepted);
            }
            else
            {
                Interlocked.Increment(ref _other);
            }
            Latency.RecordValue(Math.Clamp(micros, 1, HighestLatencyMicros));
        }

        public void Failed() => Interlocked.Increment(ref _failures);
    }
}
