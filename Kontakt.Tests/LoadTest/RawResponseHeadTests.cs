using System.Text;
using Kontakt.LoadTest.Load;

namespace Kontakt.Tests.LoadTest;

public sealed class RawResponseHeadTests
{
    private static RawResponseHead Parse(string head)
    {
        Assert.True(RawResponseHead.TryParse(Encoding.ASCII.GetBytes(head), out var parsed), head);
        return parsed;
    }

    [Fact]
    public void Status_length_and_keep_alive_come_from_a_plain_head()
    {
        var head = Parse("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\ncontent-length:  42 \r\n\r\n");
        Assert.Equal(new RawResponseHead(201, 42, false, false, null), head);
        Assert.False(head.BodyUntilClose);
    }

    [Fact]
    public void Chunked_connection_close_and_retry_after_seconds_are_recognised_in_any_case()
    {
        var head = Parse("HTTP/1.1 503 Service Unavailable\r\nTRANSFER-ENCODING: gzip, Chunked\r\nConnection: Upgrade, close\r\nRetry-After: 7\r\n\r\n");
        Assert.Equal(new RawResponseHead(503, -1, true, true, TimeSpan.FromSeconds(7)), head);
    }

    [Fact]
    public void A_retry_after_date_becomes_the_time_until_it()
    {
        var date = DateTimeOffset.UtcNow.AddSeconds(30).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var wait = Parse($"HTTP/1.1 503 \r\nRetry-After: {date}\r\nContent-Length: 0\r\n\r\n").RetryAfter;
        Assert.NotNull(wait);
        Assert.InRange(wait.Value.TotalSeconds, 25, 31);
    }

    [Fact]
    public void Http_1_0_closes_unless_it_says_keep_alive_and_without_length_reads_to_the_end()
    {
        Assert.True(Parse("HTTP/1.0 200 OK\r\n\r\n").Close);
        Assert.True(Parse("HTTP/1.0 200 OK\r\n\r\n").BodyUntilClose);
        Assert.False(Parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").Close);
        Assert.False(Parse("HTTP/1.1 204 No Content\r\n\r\n").BodyUntilClose);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2x1 Created\r\n\r\n")]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Length: 12a\r\n\r\n")]
    [InlineData("HTTP/1.1 201 Created\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Length: 1\r\n")]
    public void Malformed_heads_are_refused(string head) =>
        Assert.False(RawResponseHead.TryParse(Encoding.ASCII.GetBytes(head), out _));
}
