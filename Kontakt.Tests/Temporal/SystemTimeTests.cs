using Kontakt.Core.Temporal;

namespace Kontakt.Tests.Temporal;

public sealed class SystemTimeTests
{
    [Theory]
    [InlineData("2026-11-22T10:03:00Z", "2026-11-22T10:03:00.000000Z")]
    [InlineData("2026-11-22T11:03:00+01:00", "2026-11-22T10:03:00.000000Z")]
    [InlineData("2026-11-22T10:03:00.123456Z", "2026-11-22T10:03:00.123456Z")]
    [InlineData("2026-11-22T10:03:00.1234567Z", "2026-11-22T10:03:00.123456Z")]
    [InlineData("2026-11-22T05:03:00.5-05:00", "2026-11-22T10:03:00.500000Z")]
    [InlineData("2026-11-22 10:03:00Z", "2026-11-22T10:03:00.000000Z")]
    public void Times_with_an_offset_parse_to_utc_microseconds(string text, string canonical)
    {
        Assert.True(SystemTime.TryParse(text, out var value));
        Assert.Equal(canonical, SystemTime.Format(value));
    }

    [Theory]
    [InlineData("2026-11-22T10:03:00")]
    [InlineData("2026-11-22")]
    [InlineData("yesterday at 10:03")]
    [InlineData("")]
    [InlineData("2026-13-22T10:03:00Z")]
    [InlineData("1732269780")]
    public void Times_without_an_offset_or_not_times_at_all_are_refused(string text) =>
        Assert.False(SystemTime.TryParse(text, out _));
}
