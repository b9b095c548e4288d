using System.Text;
using Kontakt.Core.Hl7;

namespace Kontakt.Tests.Hl7;

public sealed class Hl7MessageReaderTests
{
    private static async Task<List<Hl7FileMessage>> ReadAsync(string content, int maxMessageBytes = 64 * 1024, int chunk = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        using var stream = chunk == 0 ? new MemoryStream(bytes) : new TrickleStream(bytes, chunk);
        var messages = new List<Hl7FileMessage>();
        await foreach (var message in Hl7MessageReader.ReadAsync(stream, maxMessageBytes, CancellationToken.None))
        {
            messages.Add(message);
        }
        return messages;
    }

    private static string ControlId(Hl7FileMessage message) => message.Parse()!.Header.Field(10);

    [Fact]
    public async Task MLLP_framed_messages_are_split_at_their_frames()
    {
        var content = $"\v{AdtMessages.Build(controlId: "1")}\u001c\r\v{AdtMessages.Build(controlId: "2")}\u001c\r";
        var messages = await ReadAsync(content);
        Assert.Equal(["1", "2"], messages.Select(ControlId));
        Assert.All(messages, m => Assert.Null(m.Error));
        Assert.Equal([1, 2], messages.Select(m => m.Number));
    }

    [Fact]
    public async Task A_batch_file_is_split_at_each_MSH_and_its_envelope_is_skipped()
    {
        var content = "FHS|^~\\&|EPIC|NORTH\rBHS|^~\\&|EPIC|NORTH\r"
            + AdtMessages.Build(controlId: "1") + AdtMessages.Build(controlId: "2")
            + "BTS|2\rBHS|^~\\&\r" + AdtMessages.Build(controlId: "3") + "BTS|1\rFTS|2\r";
        var messages = await ReadAsync(content);
        Assert.Equal(["1", "2", "3"], messages.Select(ControlId));
        Assert.Equal(["MSH", "EVN", "PID", "PV1", "OBX", "OBX"], messages[2].Parse()!.Segments.Select(s => s.Id));
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task Plain_segment_streams_with_any_line_end_are_split_and_lines_are_counted(string end)
    {
        var content = "\uFEFF" + AdtMessages.Build(controlId: "1", segmentEnd: end) + end + AdtMessages.Build(controlId: "2", segmentEnd: end);
        var messages = await ReadAsync(content, chunk: 3);
        Assert.Equal(["1", "2"], messages.Select(ControlId));
        Assert.Equal([1L, 8L], messages.Select(m => m.Line));
        Assert.EndsWith("F\r", Encoding.UTF8.GetString(messages[0].Utf8!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_the_bound_is_an_error_and_the_next_one_is_read()
    {
        var big = AdtMessages.Build(controlId: "big") + "NTE|1||" + new string('x', 5000) + "\r";
        var messages = await ReadAsync(AdtMessages.Build(controlId: "1") + big + AdtMessages.Build(controlId: "3"), maxMessageBytes: 2048, chunk: 100);
        Assert.Equal(3, messages.Count);
        Assert.Equal("1", ControlId(messages[0]));
        Assert.Null(messages[1].Utf8);
        Assert.Contains("larger than 2048 bytes", messages[1].Error, StringComparison.Ordinal);
        Assert.Equal("3", ControlId(messages[2]));
    }

    [Fact]
    public async Task Segments_before_any_MSH_are_reported_once_without_their_content()
    {
        var messages = await ReadAsync("PID|1||secret\rOBX|1\r" + AdtMessages.Build(controlId: "1"));
        Assert.Equal(2, messages.Count);
        Assert.Equal(1, messages[0].Line);
        Assert.DoesNotContain("secret", messages[0].Error, StringComparison.Ordinal);
        Assert.Equal("1", ControlId(messages[1]));
    }

    [Fact]
    public async Task An_empty_stream_has_no_messages() => Assert.Empty(await ReadAsync("\r\n \r"));

    /// <summary>Returns at most a few bytes per read, as a slow disk or network would.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
