using System.Buffers;
using System.Text;
using Kontakt.Api.Hl7;

namespace Kontakt.Tests.Hl7;

public sealed class MllpFrameScannerTests
{
    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_whole_frame_is_found_and_what_follows_is_left()
    {
        var scanner = new MllpFrameScanner(1024);
        var buffer = Bytes("\r\n\vMSH|x\r\u001c\r\vMSH");
        Assert.Equal(MllpFrameStatus.Frame, scanner.Next(buffer, out var frame, out var consumed));
        Assert.Equal("MSH|x\r", Encoding.UTF8.GetString(frame));
        Assert.Equal(MllpFrameStatus.NeedMore, scanner.Next(buffer.Slice(consumed), out _, out _));
    }

    [Fact]
    public void A_frame_arriving_byte_by_byte_is_found_once_complete()
    {
        var scanner = new MllpFrameScanner(1024);
        var text = "\vMSH|^~\\&|A\r\u001c\r";
        for (var length = 0; length < text.Length; length++)
        {
            Assert.Equal(MllpFrameStatus.NeedMore, scanner.Next(Bytes(text[..length]), out _, out _));
        }
        Assert.Equal(MllpFrameStatus.Frame, scanner.Next(Bytes(text), out var frame, out _));
        Assert.Equal("MSH|^~\\&|A\r", Encoding.UTF8.GetString(frame));
    }

    [Theory]
    [InlineData("MSH|x\u001c\r")]
    [InlineData("x\vMSH\u001c\r")]
    [InlineData("\vMSH\vMSH\u001c\r")]
    [InlineData("\vMSH\u001cX")]
    [InlineData("\u0000\u0001\u0002")]
    public void Broken_framing_is_recognised(string text) =>
        Assert.Equal(MllpFrameStatus.Broken, new MllpFrameScanner(1024).Next(Bytes(text), out _, out _));

    [Fact]
    public void A_frame_over_the_bound_is_too_large_before_its_end_arrives()
    {
        var scanner = new MllpFrameScanner(16);
        Assert.Equal(MllpFrameStatus.NeedMore, scanner.Next(Bytes("\v" + new string('x', 16)), out _, out _));
        Assert.Equal(MllpFrameStatus.TooLarge, scanner.Next(Bytes("\v" + new string('x', 17)), out _, out _));
        Assert.Equal(MllpFrameStatus.Frame, new MllpFrameScanner(16).Next(Bytes("\v" + new string('x', 16) + "\u001c\r"), out _, out _));
        Assert.Equal(MllpFrameStatus.TooLarge, new MllpFrameScanner(16).Next(Bytes("\v" + new string('x', 17) + "\u001c\r"), out _, out _));
    }
}
