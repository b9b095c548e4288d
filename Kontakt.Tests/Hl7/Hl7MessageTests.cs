using System.Text;
using Kontakt.Core.Hl7;

namespace Kontakt.Tests.Hl7;

public sealed class Hl7MessageTests
{
    [Fact]
    public void Delimiters_come_from_MSH_1_and_MSH_2_and_MSH_fields_are_numbered_from_the_separator()
    {
        var message = Hl7Message.Parse("MSH#$*%@#APP#FAC\rPID#1##X$Y*Z@W\r")!;
        Assert.Equal(new Hl7Delimiters('#', '$', '*', '%', '@', null), message.Delimiters);
        Assert.Equal("#", message.Header.Field(1));
        Assert.Equal("$*%@", message.Header.Field(2));
        Assert.Equal("APP", message.Header.Field(3));
        Assert.Equal("FAC", message.Header.Field(4));
        var pid = Assert.Single(message.All("PID"));
        Assert.Equal("X$Y*Z@W", pid.Field(3));
        Assert.Equal("", pid.Field(9));
        Assert.Equal("Y*Z@W", Hl7Segment.Part(pid.Field(3), '$', 2));
        Assert.Equal("Z@W", Hl7Segment.Part(pid.Field(3), '*', 2));
        Assert.Equal("", Hl7Segment.Part(pid.Field(3), '$', 3));
    }

    [Fact]
    public void A_fifth_encoding_character_is_the_truncation_character()
    {
        var message = Hl7Message.Parse("MSH|^~\\&#|APP\r")!;
        Assert.Equal('#', message.Delimiters.Truncation);
        Assert.Equal("^~\\&#", message.Delimiters.EncodingCharacters);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Segments_end_with_CR_LF_or_CRLF(string end)
    {
        var message = Hl7Message.Parse(AdtMessages.Build(segmentEnd: end))!;
        Assert.Equal(["MSH", "EVN", "PID", "PV1", "OBX", "OBX"], message.Segments.Select(s => s.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("PID|1||x\r")]
    [InlineData("MSH|^~\\\r")]
    [InlineData("MSH|^~\\&&|A\r")]
    [InlineData("MSH|^~A&|A\r")]
    [InlineData("MSH ^~\\&|A\r")]
    [InlineData("\u0000\u0001\u0002garbage")]
    public void Text_that_does_not_start_with_a_usable_MSH_is_not_a_message(string text) =>
        Assert.Null(Hl7Message.Parse(text));

    [Fact]
    public void Bytes_that_are_not_UTF8_still_parse_but_are_flagged()
    {
        var bytes = Encoding.UTF8.GetBytes(AdtMessages.Build(pid5: "Lovelace^AdaX")).ToArray();
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        var message = Hl7Message.Parse(bytes)!;
        Assert.False(message.IsValidUtf8);
        Assert.True(Hl7Message.Parse(Encoding.UTF8.GetBytes(AdtMessages.Build()))!.IsValidUtf8);
    }

    [Theory]
    [InlineData(@"a\F\b", "a|b")]
    [InlineData(@"a\S\b", "a^b")]
    [InlineData(@"a\T\b", "a&b")]
    [InlineData(@"a\R\b", "a~b")]
    [InlineData(@"a\E\b", @"a\b")]
    [InlineData(@"\H\bold\N\", "bold")]
    [InlineData(@"Jos\XC3A9\", "José")]
    [InlineData(@"\XE5B1B1E794B0\", "山田")]
    [InlineData(@"\XF09F9880\x", "😀x")]
    [InlineData("no escapes", "no escapes")]
    public void Escape_sequences_are_decoded(string raw, string expected)
    {
        Assert.True(Hl7Escapes.TryDecode(raw, Hl7Delimiters.Default, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(@"a\F")]
    [InlineData(@"\X4\")]
    [InlineData(@"\XZZ\")]
    [InlineData(@"\XC3\")]
    [InlineData(@"\X\")]
    [InlineData(@"\.br\")]
    [InlineData(@"\C2842\")]
    [InlineData(@"\\")]
    [InlineData(@"\P\")]
    public void Unknown_malformed_or_unterminated_escapes_cannot_be_decoded(string raw) =>
        Assert.False(Hl7Escapes.TryDecode(raw, Hl7Delimiters.Default, out _));

    [Fact]
    public void Escapes_follow_the_message_delimiters()
    {
        var delimiters = new Hl7Delimiters('#', '$', '*', '%', '@', '!');
        Assert.True(Hl7Escapes.TryDecode("a%F%b%S%c%P%d%E%", delimiters, out var value));
        Assert.Equal("a#b$c!d%", value);
    }

    [Fact]
    public void Encoding_escapes_every_delimiter_and_decoding_gives_the_text_back()
    {
        var delimiters = Hl7Delimiters.Default with { Truncation = '#' };
        const string Text = @"a|b^c&d~e\f#g";
        var encoded = Hl7Escapes.Encode(Text, delimiters);
        Assert.Equal(@"a\F\b\S\c\T\d\R\e\E\f\P\g", encoded);
        Assert.True(Hl7Escapes.TryDecode(encoded, delimiters, out var decoded));
        Assert.Equal(Text, decoded);
    }
}
