namespace Kontakt.LoadTest.Load;

/// <summary>One attempt's outcome: an HTTP status or an <see cref="AttemptStatus"/> code, and why when there was no status.</summary>
public readonly record struct TransportResult(int Status, TimeSpan? RetryAfter, string? Error)
{
    public static TransportResult Failed(int status, string error) => new(status, null, error);
}
