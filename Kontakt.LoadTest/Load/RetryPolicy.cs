namespace Kontakt.LoadTest.Load;

/// <summary>
/// Whether and when to resend the same records (same record IDs, so a resend never stores
/// twice). Overload (503/429) is retried for as long as the service keeps asking, honouring
/// Retry-After up to a cap; failures that may have stored the records (500, 502, 504, no
/// response) a few times; anything else never.
/// </summary>
public static class RetryPolicy
{
    public const int MaxOverloadAttempts = 120;
    public const int MaxFailureAttempts = 4;

    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MinRetryAfter = TimeSpan.FromMilliseconds(50);

    /// <param name="status">The attempt's <see cref="AttemptStatus"/>.</param>
    /// <param name="attempt">1 for the first attempt.</param>
    /// <param name="retryAfter">The response's Retry-After, if any.</param>
    /// <param name="jitter">A number in [0, 1) that spreads retries so workers do not return in step.</param>
    /// <returns>How long to wait before the next attempt, or null to give up.</returns>
    public static TimeSpan? Decide(int status, int attempt, TimeSpan? retryAfter, double jitter)
    {
        switch (status)
        {
            case 503 or 429:
                if (attempt >= MaxOverloadAttempts)
                {
                    return null;
                }
                var wait = Clamp(retryAfter ?? DefaultRetryAfter, MinRetryAfter, MaxRetryAfter);
                return wait * (1 + (0.2 * jitter));
            case 500 or 502 or 504 or AttemptStatus.TransportError or AttemptStatus.Timeout:
                return attempt >= MaxFailureAttempts ? null : TimeSpan.FromMilliseconds(100 * attempt * (1 + jitter));
            default:
                return null;
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}
