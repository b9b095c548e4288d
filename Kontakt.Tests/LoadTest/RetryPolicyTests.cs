using Kontakt.LoadTest.Load;

namespace Kontakt.Tests.LoadTest;

public sealed class RetryPolicyTests
{
    // Jitter adds at most 20 % on top of the (capped) Retry-After, so workers do not return in step.
    private const double MaxOverloadJitter = 0.2;

    public static TheoryData<double> Jitters => new() { 0, 0.5, 0.999999 };

    [Theory]
    [MemberData(nameof(Jitters))]
    public void A_503_waits_at_least_its_retry_after(double jitter)
    {
        var retryAfter = TimeSpan.FromMilliseconds(700);
        var wait = RetryPolicy.Decide(503, 1, retryAfter, jitter);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, retryAfter, retryAfter * (1 + MaxOverloadJitter));
    }

    [Theory]
    [MemberData(nameof(Jitters))]
    public void A_long_retry_after_is_capped(double jitter)
    {
        var wait = RetryPolicy.Decide(503, 1, TimeSpan.FromMinutes(5), jitter);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, RetryPolicy.MaxRetryAfter, RetryPolicy.MaxRetryAfter * (1 + MaxOverloadJitter));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3_000)]
    public void A_zero_or_past_retry_after_still_waits_a_little(int milliseconds)
    {
        var wait = RetryPolicy.Decide(503, 1, TimeSpan.FromMilliseconds(milliseconds), 0);
        Assert.Equal(RetryPolicy.MinRetryAfter, wait);
    }

    [Fact]
    public void A_503_without_retry_after_waits_the_default()
    {
        Assert.Equal(RetryPolicy.DefaultRetryAfter, RetryPolicy.Decide(503, 1, null, 0));
        Assert.Equal(RetryPolicy.DefaultRetryAfter, RetryPolicy.Decide(429, 1, null, 0));
    }

    [Fact]
    public void Overload_is_retried_a_bounded_number_of_times()
    {
        for (var attempt = 1; attempt < RetryPolicy.MaxOverloadAttempts; attempt++)
        {
            Assert.NotNull(RetryPolicy.Decide(503, attempt, TimeSpan.FromSeconds(1), 0.3));
        }
        Assert.Null(RetryPolicy.Decide(503, RetryPolicy.MaxOverloadAttempts, TimeSpan.FromSeconds(1), 0.3));
        Assert.Null(RetryPolicy.Decide(503, RetryPolicy.MaxOverloadAttempts + 1, TimeSpan.FromSeconds(1), 0.3));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(AttemptStatus.TransportError)]
    [InlineData(AttemptStatus.Timeout)]
    public void Failures_that_may_have_stored_the_records_are_resent_three_times(int status)
    {
        var waits = Enumerable.Range(1, 10).Select(attempt => RetryPolicy.Decide(status, attempt, null, 0.5)).ToList();
        Assert.All(waits.Take(3), w => Assert.True(w > TimeSpan.Zero));
        Assert.All(waits.Skip(3), w => Assert.Null(w));
        Assert.Equal(3, RetryPolicy.MaxFailureAttempts - 1);
    }

    [Fact]
    public void Failure_backoff_grows_with_the_attempt()
    {
        var first = RetryPolicy.Decide(500, 1, null, 0);
        var second = RetryPolicy.Decide(500, 2, null, 0);
        var third = RetryPolicy.Decide(500, 3, null, 0);
        Assert.True(first < second && second < third, $"{first} {second} {third}");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(413)]
    [InlineData(415)]
    [InlineData(422)]
    [InlineData(501)]
    public void Answers_that_resending_cannot_fix_are_not_retried(int status) =>
        Assert.Null(RetryPolicy.Decide(status, 1, TimeSpan.FromSeconds(1), 0));
}
