using Kontakt.Core.Hl7;
using Kontakt.Core.Records;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Hl7;

public sealed class AdtRecordMapperTests
{
    private static readonly DateTimeOffset Today = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly AdtRecordMapper _mapper = new(new RecordValidator(new FixedClock(Today)));

    private AdtRecord Map(string text) => _mapper.Map(Hl7Message.Parse(text)!, RecordClients.Interfaces, Today);

    private ValidatedRecord Accepted(string text)
    {
        var result = Map(text);
        Assert.True(result.Code == Hl7AckCode.AA, string.Join("; ", result.Errors));
        return result.Record!;
    }

    private Hl7Error Refused(string text, Hl7AckCode code, Hl7ErrorCode error, string location)
    {
        var result = Map(text);
        Assert.Equal(code, result.Code);
        Assert.Null(result.Record);
        var single = Assert.Single(result.Errors);
        Assert.Equal(error, single.Code);
        Assert.Equal(location, single.Location?.ToString());
        return single;
    }

    [Theory]
    [InlineData("A01")]
    [InlineData("A04")]
    [InlineData("A08")]
    [InlineData("A28")]
    [InlineData("A31")]
    public void Each_accepted_trigger_maps_to_a_record(string trigger)
    {
        var record = Accepted(AdtMessages.Build(trigger: trigger));
        Assert.Equal("Ada Lovelace", record.Name);
        Assert.Equal(new DateOnly(1985, 12, 10), record.Dob);
        Assert.Equal("green", record.CanonicalColor);
        Assert.Equal("hl7:EPIC:NORTH:MSG00001", record.RecordId);
    }

    [Theory]
    [InlineData("2.3")]
    [InlineData("2.3.1")]
    [InlineData("2.4")]
    [InlineData("2.5")]
    [InlineData("2.5.1")]
    [InlineData("2.6")]
    [InlineData("2.7")]
    [InlineData("2.7.1")]
    [InlineData("2.8")]
    [InlineData("2.8.2")]
    [InlineData("2.5.1^^HL70104")]
    public void Versions_from_2_3_to_2_8_are_accepted(string version) => Accepted(AdtMessages.Build(version: version));

    [Theory]
    [InlineData("2.2")]
    [InlineData("2.9")]
    [InlineData("3.0")]
    [InlineData("251")]
    public void Other_versions_are_rejected_with_AR_203(string version) =>
        Refused(AdtMessages.Build(version: version), Hl7AckCode.AR, Hl7ErrorCode.UnsupportedVersionId, "MSH-12.1");

    [Theory]
    [InlineData("A02")]
    [InlineData("A03")]
    [InlineData("A40")]
    [InlineData("")]
    public void Other_ADT_triggers_are_rejected_with_AR_201(string trigger) =>
        Refused(AdtMessages.Build(trigger: trigger), Hl7AckCode.AR, Hl7ErrorCode.UnsupportedEventCode, "MSH-9.2");

    [Theory]
    [InlineData("ORU")]
    [InlineData("SIU")]
    [InlineData("adt")]
    public void Other_message_types_are_rejected_with_AR_200(string type) =>
        Refused(AdtMessages.Build(type: type), Hl7AckCode.AR, Hl7ErrorCode.UnsupportedMessageType, "MSH-9.1");

    [Theory]
    [InlineData("T")]
    [InlineData("D")]
    public void Training_and_debugging_messages_are_rejected_with_AR_202(string processingId) =>
        Refused(AdtMessages.Build(processingId: processingId), Hl7AckCode.AR, Hl7ErrorCode.UnsupportedProcessingId, "MSH-11.1");

    [Fact]
    public void Missing_header_fields_are_rejected_with_AR_101()
    {
        Refused(AdtMessages.Build(processingId: ""), Hl7AckCode.AR, Hl7ErrorCode.RequiredFieldMissing, "MSH-11");
        Refused(AdtMessages.Build(version: ""), Hl7AckCode.AR, Hl7ErrorCode.RequiredFieldMissing, "MSH-12");
        Refused(AdtMessages.Build(controlId: ""), Hl7AckCode.AR, Hl7ErrorCode.RequiredFieldMissing, "MSH-10");
        Refused(AdtMessages.Build(type: "", trigger: ""), Hl7AckCode.AR, Hl7ErrorCode.RequiredFieldMissing, "MSH-9");
    }

    [Fact]
    public void UTF8_as_MSH_18_or_none_is_accepted_and_any_other_character_set_is_rejected_with_AR_103()
    {
        Accepted(AdtMessages.Build(charset: "UNICODE UTF-8"));
        Accepted(AdtMessages.Build(charset: ""));
        Refused(AdtMessages.Build(charset: "8859/1"), Hl7AckCode.AR, Hl7ErrorCode.TableValueNotFound, "MSH-18");
        Refused(AdtMessages.Build(charset: "UNICODE UTF-8~8859/1"), Hl7AckCode.AR, Hl7ErrorCode.TableValueNotFound, "MSH-18");
    }

    [Theory]
    [InlineData("Lovelace^Ada", "Ada Lovelace")]
    [InlineData("Lovelace^Ada^Augusta^^Lady^^L", "Ada Augusta Lovelace")]
    [InlineData("King^Augusta^Ada Byron^III^Countess^PhD^L", "Augusta Ada Byron King")]
    [InlineData("Lovelace^Ada^^Jr.^Dr.", "Ada Lovelace")]
    [InlineData("Lovelace&von&Lovelace&Byron&B^Ada", "Ada Lovelace")]
    [InlineData("  Lovelace ^  Ada   Augusta ", "Ada Augusta Lovelace")]
    [InlineData("Lovelace", "Lovelace")]
    [InlineData("^Ada", "Ada")]
    [InlineData("O\\XE28099\\Brien^Se\\XC3A1\\n", "Seán O\u2019Brien")]
    [InlineData("Smith\\T\\Jones^Ann", "Ann Smith&Jones")]
    [InlineData("\\H\\Lovelace\\N\\^Ada", "Ada Lovelace")]
    public void The_name_is_given_names_then_family_name_without_prefix_or_suffix(string pid5, string expected) =>
        Assert.Equal(expected, Accepted(AdtMessages.Build(pid5: pid5)).Name);

    [Theory]
    [InlineData("Byron^Ada^^^^^M~Lovelace^Ada^^^^^L", "Ada Lovelace")]
    [InlineData("Byron^Ada^^^^^B~King^Augusta^^^^^A", "Ada Byron")]
    [InlineData("~King^Augusta^^^^^A", "Augusta King")]
    [InlineData("Lovelace^Ada^^^^^L~Byron^Ada^^^^^L", "Ada Lovelace")]
    public void The_legal_name_is_chosen_else_the_first_name_sent(string pid5, string expected) =>
        Assert.Equal(expected, Accepted(AdtMessages.Build(pid5: pid5)).Name);

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("~")]
    [InlineData("^^^Jr.^Dr.")]
    public void A_missing_name_is_AE_101_at_PID_5(string pid5) =>
        Refused(AdtMessages.Build(pid5: pid5), Hl7AckCode.AE, Hl7ErrorCode.RequiredFieldMissing, "PID-5");

    [Theory]
    [InlineData("Lovelace^Ada\\X0D\\x")]
    [InlineData("Lovelace^Ada\\X09\\x")]
    [InlineData("Lovelace^Ada\\.br\\")]
    [InlineData("Lovelace^Ada\\XC3\\")]
    public void An_undecodable_or_invalid_name_is_AE_102_at_PID_5(string pid5) =>
        Refused(AdtMessages.Build(pid5: pid5), Hl7AckCode.AE, Hl7ErrorCode.DataTypeError, "PID-5");

    [Fact]
    public void A_name_longer_than_the_contract_allows_is_AE_102_at_PID_5() =>
        Refused(AdtMessages.Build(pid5: new string('x', 150) + "^" + new string('y', 60)), Hl7AckCode.AE, Hl7ErrorCode.DataTypeError, "PID-5");

    [Theory]
    [InlineData("19851210")]
    [InlineData("198512101530")]
    [InlineData("19851210153045")]
    [InlineData("19851210153045.1234")]
    [InlineData("19851210153045-0500")]
    [InlineData("198512101530+0100")]
    [InlineData("19851210^D")]
    [InlineData("19851210~19861111")]
    public void The_date_of_birth_is_the_first_8_digits_of_PID_7(string pid7) =>
        Assert.Equal(new DateOnly(1985, 12, 10), Accepted(AdtMessages.Build(pid7: pid7)).Dob);

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    public void A_missing_date_of_birth_is_AE_101_at_PID_7(string pid7) =>
        Refused(AdtMessages.Build(pid7: pid7), Hl7AckCode.AE, Hl7ErrorCode.RequiredFieldMissing, "PID-7");

    [Theory]
    [InlineData("1985")]
    [InlineData("198512")]
    [InlineData("1985-12-10")]
    [InlineData("19851210T1530")]
    [InlineData("198512101")]
    [InlineData("19851210153045.")]
    [InlineData("19851210+01")]
    [InlineData("19850230")]
    [InlineData("19851310")]
    [InlineData("18991231")]
    [InlineData("20261203")]
    [InlineData("abcdefgh")]
    public void A_date_of_birth_that_is_not_a_valid_date_in_range_is_AE_102_at_PID_7(string pid7)
    {
        var error = Refused(AdtMessages.Build(pid7: pid7), Hl7AckCode.AE, Hl7ErrorCode.DataTypeError, "PID-7");
        Assert.DoesNotContain(pid7, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Today_is_a_valid_date_of_birth() =>
        Assert.Equal(new DateOnly(2026, 12, 2), Accepted(AdtMessages.Build(pid7: "20261202")).Dob);

    [Theory]
    [InlineData("green", "green")]
    [InlineData("Sky   BLUE", "sky blue")]
    [InlineData("#A0b", "#a0b")]
    [InlineData("LightGoldenRodYellow", "lightgoldenrodyellow")]
    public void The_favorite_color_comes_from_the_favorite_color_OBX(string color, string canonical)
    {
        var record = Accepted(AdtMessages.Build(color: color));
        Assert.Equal(canonical, record.CanonicalColor);
        Assert.Equal(color, record.FavoriteColor);
    }

    [Fact]
    public void The_favorite_color_is_optional()
    {
        Assert.Null(Accepted(AdtMessages.Build(color: null)).CanonicalColor);
        Assert.Null(Accepted(AdtMessages.Build(color: "")).CanonicalColor);
        Assert.Null(Accepted(AdtMessages.Build(color: "\"\"")).CanonicalColor);
    }

    [Fact]
    public void A_coded_favorite_color_uses_its_identifier_and_other_observations_are_ignored()
    {
        var text = AdtMessages.Build(color: null) + "OBX|1|ST|color^Car color^L||red||||||F\rOBX|2|CWE|FAVORITE-COLOR||teal^Teal^L||||||F\r";
        Assert.Equal("teal", Accepted(text).CanonicalColor);
    }

    [Theory]
    [InlineData("plaid")]
    [InlineData("Ada Lovelace")]
    [InlineData("=HYPERLINK(1)")]
    public void A_color_outside_the_vocabulary_is_AE_103_at_its_OBX_5(string color)
    {
        var error = Refused(AdtMessages.Build(color: color), Hl7AckCode.AE, Hl7ErrorCode.TableValueNotFound, "OBX[2]-5");
        Assert.DoesNotContain(color, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gr\\X07\\een")]
    [InlineData("gr\\.br\\een")]
    public void A_color_that_is_not_text_is_AE_102_at_its_OBX_5(string color) =>
        Refused(AdtMessages.Build(color: color), Hl7AckCode.AE, Hl7ErrorCode.DataTypeError, "OBX[2]-5");

    [Fact]
    public void A_color_longer_than_the_contract_allows_is_AE_102() =>
        Refused(AdtMessages.Build(color: new string('a', 65)), Hl7AckCode.AE, Hl7ErrorCode.DataTypeError, "OBX[2]-5");

    [Fact]
    public void A_message_without_exactly_one_PID_is_AE_100()
    {
        var withoutPid = string.Join('\r', AdtMessages.Build().Split('\r').Where(s => !s.StartsWith("PID", StringComparison.Ordinal)));
        Refused(withoutPid, Hl7AckCode.AE, Hl7ErrorCode.SegmentSequenceError, "PID");
        Refused(AdtMessages.Build() + "PID|2||9^^^H^MR||Byron^Ada||19851210\r", Hl7AckCode.AE, Hl7ErrorCode.SegmentSequenceError, "PID");
    }

    [Fact]
    public void Several_content_errors_are_all_reported()
    {
        var result = Map(AdtMessages.Build(pid5: "", pid7: "1985", color: "plaid"));
        Assert.Equal(Hl7AckCode.AE, result.Code);
        Assert.Equal(["PID-5", "PID-7"], result.Errors.Select(e => e.Location!.ToString()));
    }

    [Fact]
    public void A_message_that_is_not_UTF8_is_AE_102()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(AdtMessages.Build(pid5: "Lovelace^AdaX"));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xE9;
        var result = _mapper.Map(Hl7Message.Parse(bytes)!, RecordClients.Interfaces, Today);
        Assert.Equal(Hl7AckCode.AE, result.Code);
        Assert.Equal(Hl7ErrorCode.DataTypeError, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Custom_delimiters_are_honoured()
    {
        var text = AdtMessages.Build(pid5: "Lovelace$Ada$Augusta", pid7: "19851210$D")
            .Replace("|", "#", StringComparison.Ordinal).Replace("^~\\&", "$*%@", StringComparison.Ordinal).Replace("^", "$", StringComparison.Ordinal);
        var record = Accepted(text);
        Assert.Equal("Ada Augusta Lovelace", record.Name);
        Assert.Equal("hl7:EPIC:NORTH:MSG00001", record.RecordId);
    }

    [Fact]
    public void No_error_reason_quotes_the_message()
    {
        var result = Map(AdtMessages.Build(pid5: "Secretname^Ada\\X07\\", pid7: "19859999", color: "Hiddencolor"));
        Assert.All(result.Errors, e =>
        {
            Assert.DoesNotContain("Secretname", e.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("19859999", e.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("Hiddencolor", e.Reason, StringComparison.Ordinal);
        });
    }
}
