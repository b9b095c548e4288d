using System.Globalization;

namespace Kontakt.LoadTest.Mllp;

/// <summary>The command line of <c>mllp</c>: the HL7 v2 ACK-latency benchmark.</summary>
/// <param name="Host">Address of the MLLP listener.</param>
/// <param name="Port">Its port.</param>
/// <param name="Connections">Connections, each sending one message and waiting for its ACK before the next.</param>
/// <param name="Rate">Open model: messages/s over all connections at fixed intended times; null for the closed model (as fast as ACKs come).</param>
/// <param name="Seconds">How long to measure.</param>
/// <param name="Warmup">Seconds of messages before the clock starts (stored, not counted).</param>
public sealed record MllpLoadOptions(string Host, int Port, int Connections, int? Rate, int Seconds, int Warmup)
{
    public const string Usage = "mllp [--host 127.0.0.1] [--port 2575] [--connections 8] [--rate N] [--seconds 20] [--warmup 3]";

    /// <summary>Reads the options after <c>mllp</c>; null with <paramref name="error"/> when they do not parse.</summary>
    public static MllpLoadOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var options = new MllpLoadOptions("127.0.0.1", 2575, 8, null, 20, 3);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                error = $"{args[i]} needs a value.";
                return null;
            }
            var value = args[i + 1];
            int Number() => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new FormatException($"{args[i]} must be a positive whole number.");
            try
            {
                options = args[i] switch
                {
                    "--host" => options with { Host = value },
                    "--port" => options with { Port = Number() },
                    "--connections" => options with { Connections = Number() },
                    "--rate" => options with { Rate = Number() },
                    "--seconds" => options with { Seconds = Number() },
                    "--warmup" => options with { Warmup = value == "0" ? 0 : Number() },
                    _ => throw new FormatException($"unknown option {args[i]}."),
                };
            }
            catch (FormatException exception)
            {
                error = exception.Message;
                return null;
            }
        }
        return options;
    }
}
