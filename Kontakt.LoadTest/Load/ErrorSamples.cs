using System.Collections.Concurrent;
using System.Text;

namespace Kontakt.LoadTest.Load;

/// <summary>The first few error responses, kept for the report so a failed run explains itself.</summary>
public sealed class ErrorSamples
{
    private const int MaxSamples = 10;
    private const int MaxPerStatus = 2;
    private const int MaxBodyChars = 400;

    private readonly ConcurrentQueue<string> _samples = new();
    private readonly ConcurrentDictionary<int, int> _perStatus = new();

    public void Add(int status, ReadOnlySpan<byte> body, string? exceptionMessage = null)
    {
        if (_samples.Count >= MaxSamples || _perStatus.AddOrUpdate(status, 1, (_, n) => n + 1) > MaxPerStatus)
        {
            return;
        }
        var text = exceptionMessage ?? Encoding.UTF8.GetString(body);
        if (text.Length > MaxBodyChars)
        {
            text = text[..MaxBodyChars] + "…";
        }
        _samples.Enqueue($"{AttemptStatus.Describe(status)}: {text}");
    }

    public IReadOnlyList<string> ToList() => [.. _samples];
}
