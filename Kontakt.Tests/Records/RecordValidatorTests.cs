using Kontakt.Core.Records;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Records;

public sealed class RecordValidatorTests
{
    private static readonly DateTimeOffset Today = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly RecordValidator _validator = new(new FixedClock(Today));

    private (ValidatedRecord? Record, List<FieldError> Errors) Validate(
        string? name = "Ada Lovelace", string? dob = "1985-12-10", string? color = "green", string? recordId = null)
    {
        var errors = new List<FieldError>();
        var record = _validator.Validate(new RecordRequest { Name = name, Dob = dob, FavoriteColor = color, RecordId = recordId }, TestRecords.Client, Today, errors);
        return (record, errors);
    }

    private void AssertRejected(string field, string? name = "Ada Lovelace", string? dob = "1985-12-10", string? color = "green", string? recordId = null)
    {
        var (record, errors) = Validate(name, dob, color, recordId);
        Assert.Null(record);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_complete_record_is_accepted_with_canonical_color_and_name_and_color_as_received()
    {
        var (record, errors) = Validate(name: "  Ada  Lovelace ", color: "  Sky   BLUE ");
        Assert.Empty(errors);
        Assert.NotNull(record);
        Assert.Equal("  Ada  Lovelace ", record.Name);
        Assert.Equal("ada lovelace", record.NameKey);
        Assert.Equal("  Sky   BLUE ", record.FavoriteColor);
        Assert.Equal("sky blue", record.CanonicalColor);
        Assert.Equal(new DateOnly(1985, 12, 10), record.Dob);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u00a0\u2003")]
    public void Name_is_required_and_not_blank(string? name) => AssertRejected("name", name: name);

    [Fact]
    public void Name_of_200_characters_after_trimming_is_accepted_and_201_is_not()
    {
        Assert.NotNull(Validate(name: "  " + new string('a', 200) + "  ").Record);
        AssertRejected("name", name: new string('a', 201));
    }

    [Fact]
    public void Name_length_counts_characters_not_utf16_units()
    {
        var twoHundredEmoji = string.Concat(Enumerable.Repeat("😀", 200));
        Assert.NotNull(Validate(name: twoHundredEmoji).Record);
        AssertRejected("name", name: twoHundredEmoji + "😀");
    }

    [Fact]
    public void Name_as_sent_may_carry_surrounding_whitespace_up_to_500_characters_in_all()
    {
        var name = new string('a', 200);
        Assert.NotNull(Validate(name: new string(' ', 150) + name + new string(' ', 150)).Record);
        var (record, errors) = Validate(name: new string(' ', 150) + name + new string(' ', 151));
        Assert.Null(record);
        Assert.Equal("name", Assert.Single(errors).Field);
        Assert.Contains("at most 500 characters including surrounding whitespace", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_whose_compatibility_normalization_expands_past_500_characters_is_rejected()
    {
        // U+FDFA is one character that NFKC turns into 18: 27 of them make a key of 27 × 18 = 486, 28 one of 504.
        const string Ligature = "\ufdfa";
        Assert.Equal(18, NameNormalizer.ToIdentityKey(Ligature).Length);
        Assert.NotNull(Validate(name: string.Concat(Enumerable.Repeat(Ligature, 27))).Record);

        var (record, errors) = Validate(name: string.Concat(Enumerable.Repeat(Ligature, 28)));
        Assert.Null(record);
        Assert.Equal("name", Assert.Single(errors).Field);
        Assert.Contains("NFKC", errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ada\u0000Lovelace")]
    [InlineData("Ada\u0007")]
    [InlineData("Ada\nLovelace")]
    [InlineData("Ada\tLovelace")]
    [InlineData("Ada Lovelace\r\n")]
    [InlineData("Ada\u007f")]
    [InlineData("Ada\u0085")]
    public void Name_with_control_characters_is_rejected(string name) => AssertRejected("name", name: name);

    [Fact]
    public void Name_with_an_unpaired_surrogate_is_rejected() => AssertRejected("name", name: "Ada\ud800");

    [Theory]
    [InlineData("José Eduardo181 Gómez206")]
    [InlineData("D'Amore443")]
    [InlineData("Mr. O'Hara248 PhD")]
    [InlineData("山田 太郎")]
    public void Real_world_names_are_accepted(string name) => Assert.NotNull(Validate(name: name).Record);

    [Fact]
    public void Color_is_optional()
    {
        var (record, errors) = Validate(color: null);
        Assert.Empty(errors);
        Assert.NotNull(record);
        Assert.Null(record.FavoriteColor);
        Assert.Null(record.CanonicalColor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1 555 0100")]
    [InlineData("Ada Lovelace")]
    [InlineData("bluish greenish")]
    [InlineData("#12")]
    [InlineData("#1234")]
    [InlineData("#ggg")]
    [InlineData("\u212Ahaki")]
    public void Color_outside_the_vocabulary_is_rejected(string color) => AssertRejected("favoriteColor", color: color);

    [Fact]
    public void Color_of_64_characters_as_sent_is_accepted_and_65_is_not()
    {
        var padded = new string(' ', 30) + "sky blue" + new string(' ', 26);
        Assert.Equal(64, padded.Length);
        Assert.Equal("sky blue", Validate(color: padded).Record?.CanonicalColor);
        AssertRejected("favoriteColor", color: padded + " ");
    }

    [Theory]
    [InlineData("LightGoldenRodYellow", "lightgoldenrodyellow")]
    [InlineData("skyblue", "skyblue")]
    [InlineData("Sky\u00A0Blue", "sky blue")]
    [InlineData("#ABC", "#abc")]
    [InlineData(" #00FF7f ", "#00ff7f")]
    [InlineData("Robin's Egg Blue", "robin's egg blue")]
    public void Colors_are_stored_publicly_in_canonical_form(string color, string canonical) =>
        Assert.Equal(canonical, Validate(color: color).Record?.CanonicalColor);

    [Fact]
    public void Color_with_a_control_character_is_rejected() => AssertRejected("favoriteColor", color: "gr\u001been");

    [Theory]
    [InlineData("1900-01-01")]
    [InlineData("2026-11-23")]
    [InlineData("2000-02-29")]
    public void Dob_within_range_is_accepted(string dob) => Assert.NotNull(Validate(dob: dob).Record);

    [Theory]
    [InlineData("1899-12-31")]
    [InlineData("2026-11-24")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public void Dob_outside_1900_to_today_is_rejected(string dob) => AssertRejected("dob", dob: dob);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1990-1-1")]
    [InlineData("19900101")]
    [InlineData("1990/01/01")]
    [InlineData("01-02-1990")]
    [InlineData(" 1990-01-01")]
    [InlineData("1990-01-01T00:00:00")]
    [InlineData("1990-02-30")]
    [InlineData("1991-02-29")]
    [InlineData("1990-13-01")]
    [InlineData("１９９０-01-01")]
    public void Dob_that_is_not_a_yyyy_mm_dd_calendar_date_is_rejected(string? dob) => AssertRejected("dob", dob: dob);

    [Fact]
    public void Dob_of_today_follows_the_clock_in_utc()
    {
        var lateEvening = new RecordValidator(new FixedClock(new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.FromHours(-5))));
        var errors = new List<FieldError>();
        // 23:30 at UTC-5 is already 24 November in UTC.
        Assert.NotNull(lateEvening.Validate(new RecordRequest { Name = "A", Dob = "2026-11-24", FavoriteColor = "red" }, TestRecords.Client, Today, errors));
    }

    [Fact]
    public void Missing_record_id_gets_a_server_assigned_one()
    {
        var first = Validate().Record!;
        var second = Validate().Record!;
        Assert.Matches("^[0-9a-f]{32}$", first.RecordId);
        Assert.NotEqual(first.RecordId, second.RecordId);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("clinic-7:visit_000123.v2")]
    [InlineData("ABCxyz0189._:-")]
    public void Record_ids_from_the_allowed_alphabet_are_kept(string recordId) =>
        Assert.Equal(recordId, Validate(recordId: recordId).Record!.RecordId);

    [Fact]
    public void Record_id_of_128_characters_is_accepted_and_129_is_not()
    {
        Assert.NotNull(Validate(recordId: new string('r', 128)).Record);
        AssertRejected("recordId", recordId: new string('r', 129));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("é")]
    [InlineData("a\u0000")]
    public void Record_ids_outside_the_alphabet_are_rejected(string recordId) => AssertRejected("recordId", recordId: recordId);

    [Fact]
    public void Every_invalid_field_is_reported_with_the_prefix()
    {
        var errors = new List<FieldError>();
        var record = _validator.Validate(new RecordRequest { Name = "", Dob = "x", FavoriteColor = "plaid", RecordId = "?" }, TestRecords.Client, Today, errors, "[7].");
        Assert.Null(record);
        Assert.Equal(["[7].name", "[7].favoriteColor", "[7].dob", "[7].recordId"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Error_messages_never_repeat_the_submitted_value()
    {
        var secretName = new string('Z', 250);
        var errors = new List<FieldError>();
        _validator.Validate(new RecordRequest { Name = secretName, Dob = "1777-07-07", FavoriteColor = "Q\u0001Q", RecordId = "bad id!" }, TestRecords.Client, Today, errors);
        Assert.Equal(4, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.DoesNotContain("ZZZ", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("1777", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Q", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("bad id", e.Message, StringComparison.Ordinal);
        });
    }
}
