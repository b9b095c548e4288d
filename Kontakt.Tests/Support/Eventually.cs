using System.Diagnostics;

namespace Kontakt.Tests.Support;

/// <summary>Waits for a condition with a deadline, instead of sleeping a fixed time and hoping.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test with <paramref name="failureMessage"/> if it does not within <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string failureMessage)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, $"{failureMessage} (waited {timeout.TotalSeconds:0.#} s)");
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The same for a condition that needs no I/O.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string failureMessage) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, failureMessage);
}
