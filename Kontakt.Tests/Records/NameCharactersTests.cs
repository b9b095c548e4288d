using System.Text;
using Kontakt.Core.Records;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Records;

public sealed class NameCharactersTests
{
    private static readonly DateTimeOffset Today = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly RecordValidator _validator = new(new FixedClock(Today));

    private (ValidatedRecord? Record, List<FieldError> Errors) Validate(string name)
    {
        var errors = new List<FieldError>();
        var record = _validator.Validate(new RecordRequest { Name = name, Dob = "1985-12-10", FavoriteColor = "green" }, TestRecords.Client, Today, errors);
        return (record, errors);
    }

    private void AssertNameRejected(string name)
    {
        var (record, errors) = Validate(name);
        Assert.Null(record);
        Assert.Equal("name", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("Ada\uFFFE Lovelace")]
    [InlineData("Ada\uFFFF")]
    [InlineData("\uFDD0Ada")]
    [InlineData("Ada\uFDEF")]
    [InlineData("Ada\U0001FFFE")]
    [InlineData("Ada\U0010FFFF")]
    [InlineData("Ada\U0008FFFE")]
    public void Names_with_noncharacters_are_rejected(string name) => AssertNameRejected(name);

    [Theory]
    [InlineData("\u202AAda")]
    [InlineData("Ada\u202B")]
    [InlineData("Ada\u202C Lovelace")]
    [InlineData("\u202DAda")]
    [InlineData("\u202Eecalevol adA")]
    [InlineData("Ada\u2066Lovelace\u2069")]
    [InlineData("Ada\u2067")]
    [InlineData("Ada\u2068")]
    public void Names_with_bidirectional_controls_are_rejected(string name) => AssertNameRejected(name);

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u00AD\uFEFF\u2060")]
    [InlineData(" \u200B \u2060 ")]
    [InlineData("\u200D")]
    [InlineData("\u200C\u200D")]
    public void A_name_of_only_invisible_characters_is_rejected(string name) => AssertNameRejected(name);

    [Theory]
    [InlineData("Zero\u200B Width")]
    [InlineData("Zero \u200BWidth")]
    [InlineData("Ze\u00ADro Width")]
    [InlineData("\uFEFFZero Width")]
    [InlineData("Zero\u2060 Width")]
    [InlineData("Zero Width\u200E")]
    [InlineData("Zero\U000E0020 Width")]
    public void Invisible_format_characters_do_not_count_for_identity(string name)
    {
        var (record, errors) = Validate(name);
        Assert.Empty(errors);
        Assert.Equal("zero width", record?.NameKey);
        Assert.Equal(name, record?.Name);
    }

    [Theory]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", "\u0645\u06CC\u062E\u0648\u0627\u0647\u0645")]
    [InlineData("\u0915\u094D\u200D\u0937", "\u0915\u094D\u0937")]
    public void Joiners_are_kept_because_they_change_how_a_name_is_written(string withJoiner, string without)
    {
        var (record, errors) = Validate(withJoiner);
        Assert.Empty(errors);
        Assert.True(record!.NameKey.Contains('\u200C', StringComparison.Ordinal) || record.NameKey.Contains('\u200D', StringComparison.Ordinal));
        Assert.NotEqual(NameNormalizer.ToIdentityKey(without), record.NameKey);
    }

    [Fact]
    public void Noncharacters_are_every_planes_last_two_code_points_and_the_arabic_block()
    {
        var noncharacters = Enumerable.Range(0, 0x110000)
            .Where(Rune.IsValid)
            .Select(v => new Rune(v))
            .Where(NameCharacters.IsNoncharacter)
            .Select(r => r.Value)
            .ToArray();
        var expected = Enumerable.Range(0xFDD0, 32)
            .Concat(Enumerable.Range(0, 17).SelectMany(plane => new[] { (plane << 16) | 0xFFFE, (plane << 16) | 0xFFFF }))
            .Order()
            .ToArray();
        Assert.Equal(expected, noncharacters);
    }

    // Normalization throws on some code points (U+FFFE answered 500 before the rule): whatever
    // scalar value a name carries, validation either accepts it or names the field — never throws.
    // The rules are per character, so a block of 128 that passes says each of its characters passes;
    // only the blocks that do not are tried one character at a time.
    [Fact]
    public void No_code_point_in_a_name_makes_validation_throw()
    {
        var refused = 0;
        for (var start = 0; start < 0x110000; start += 128)
        {
            var block = Enumerable.Range(start, 128).Where(Rune.IsValid).Select(v => new Rune(v).ToString()).ToArray();
            if (block.Length == 0 || IsAccepted(string.Concat(block)))
            {
                continue;
            }
            refused += block.Count(character => !IsAccepted(character));
        }
        // 66 noncharacters, 9 bidirectional controls, 65 C0/C1 controls and nothing else.
        Assert.Equal(66 + 9 + 65, refused);
    }

    private bool IsAccepted(string characters)
    {
        var errors = new List<FieldError>();
        var record = _validator.Validate(
            new RecordRequest { Name = "Ada " + characters + " Lovelace", Dob = "1985-12-10", RecordId = "r" }, TestRecords.Client, Today, errors);
        if (record is null)
        {
            Assert.Equal("name", Assert.Single(errors).Field);
        }
        return record is not null;
    }
}
