using System.Diagnostics;

namespace Kontakt.Tests.Support;

/// <summary>Waits for a condition with a deadline, instead of sleeping a fixed time and hoping.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test with <paramref name="failureMessage"/> if it does not within <paramref name="timeout"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string failureMessage) =>
        TrueAsync(condition, timeout, () => failureMessage);

    /// <summary>The same, with the failure message built only when the wait fails, so it can describe how things ended.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failureMessage)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(failureMessage);
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                Assert.Fail($"{failureMessage()} (waited {timeout.TotalSeconds:0.#} s)");
            }
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The same for a condition that needs no I/O.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string failureMessage) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, failureMessage);
}
