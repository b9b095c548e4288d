using Kontakt.Core.Hl7;

namespace Kontakt.Tests.Hl7;

public sealed class Hl7AckTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 30, 15, TimeSpan.Zero);

    private static string[][] Segments(string ack) =>
        ack.Split('\r', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('|')).ToArray();

    [Fact]
    public void An_AA_swaps_sender_and_receiver_names_the_trigger_and_echoes_the_control_ID_and_version()
    {
        var message = Hl7Message.Parse(AdtMessages.Build(trigger: "A08", version: "2.5.1", controlId: "ABC123", charset: "UNICODE UTF-8"))!;
        var ack = Hl7Ack.Build(message, Hl7AckCode.AA, [], "K0001", Now);
        Assert.EndsWith("\r", ack, StringComparison.Ordinal);
        var segments = Segments(ack);
        Assert.Equal(2, segments.Length);
        var msh = segments[0];
        Assert.Equal(["MSH", "^~\\&", "KONTAKT", "KONTAKT-FAC", "EPIC", "NORTH", "20261202083015+0000", "", "ACK^A08^ACK", "K0001", "P", "2.5.1"], msh[..12]);
        Assert.Equal("UNICODE UTF-8", msh[17]);
        Assert.Equal(["MSA", "AA", "ABC123"], segments[1]);
    }

    [Fact]
    public void An_AE_from_version_2_5_names_location_code_severity_and_reason_in_ERR()
    {
        var message = Hl7Message.Parse(AdtMessages.Build(version: "2.5"))!;
        var error = new Hl7Error(Hl7ErrorCode.DataTypeError, new Hl7Location("PID", Field: 7), "the date of birth must be a date YYYYMMDD|x.");
        var segments = Segments(Hl7Ack.Build(message, Hl7AckCode.AE, [error], "K0002", Now));
        Assert.Equal(["MSA", "AE", "MSG00001"], segments[1]);
        var err = segments[2];
        Assert.Equal("ERR", err[0]);
        Assert.Equal("", err[1]);
        Assert.Equal("PID^1^7", err[2]);
        Assert.Equal("102^Data type error^HL70357", err[3]);
        Assert.Equal("E", err[4]);
        Assert.Equal("the date of birth must be a date YYYYMMDD\\F\\x.", err[8]);
    }

    [Fact]
    public void A_component_location_names_the_first_repetition()
    {
        var message = Hl7Message.Parse(AdtMessages.Build(version: "2.7", trigger: "A02"))!;
        var error = new Hl7Error(Hl7ErrorCode.UnsupportedEventCode, new Hl7Location("MSH", Field: 9, Component: 2), "only …");
        var err = Segments(Hl7Ack.Build(message, Hl7AckCode.AR, [error], "K0003", Now))[2];
        Assert.Equal("MSH^1^9^1^2", err[2]);
        Assert.Equal("201^Unsupported event code^HL70357", err[3]);
        Assert.Equal("ACK^A02^ACK", Segments(Hl7Ack.Build(message, Hl7AckCode.AR, [error], "K0003", Now))[0][8]);
    }

    [Theory]
    [InlineData("2.3")]
    [InlineData("2.3.1")]
    [InlineData("2.4")]
    public void Before_2_5_the_error_is_ERR_1_and_the_reason_is_MSA_3(string version)
    {
        var message = Hl7Message.Parse(AdtMessages.Build(version: version))!;
        var error = new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, new Hl7Location("PID", Field: 5), "the patient name is required.");
        var segments = Segments(Hl7Ack.Build(message, Hl7AckCode.AE, [error], "K0004", Now));
        Assert.Equal(["MSA", "AE", "MSG00001", "the patient name is required."], segments[1]);
        Assert.Equal(["ERR", "PID^1^5^101&Required field missing&HL70357"], segments[2]);
        Assert.Equal(version, segments[0][11]);
    }

    [Fact]
    public void An_error_outside_the_message_has_no_location()
    {
        var message = Hl7Message.Parse(AdtMessages.Build())!;
        var error = new Hl7Error(Hl7ErrorCode.ApplicationInternalError, null, "the ingest queue is full.");
        var err = Segments(Hl7Ack.Build(message, Hl7AckCode.AR, [error], "K0005", Now))[2];
        Assert.Equal("", err[2]);
        Assert.Equal("207^Application internal error^HL70357", err[3]);
    }

    [Fact]
    public void The_ACK_uses_the_message_delimiters()
    {
        var text = AdtMessages.Build().Replace("|", "#", StringComparison.Ordinal).Replace("^~\\&", "$*%@", StringComparison.Ordinal).Replace("^", "$", StringComparison.Ordinal);
        var message = Hl7Message.Parse(text)!;
        var error = new Hl7Error(Hl7ErrorCode.TableValueNotFound, new Hl7Location("OBX", 2, 5), "use #rgb$x.");
        var ack = Hl7Ack.Build(message, Hl7AckCode.AE, [error], "K0006", Now);
        Assert.StartsWith("MSH#$*%@#KONTAKT#KONTAKT-FAC#EPIC#NORTH#", ack, StringComparison.Ordinal);
        Assert.Contains("ACK$A01$ACK", ack, StringComparison.Ordinal);
        Assert.Contains("ERR##OBX$2$5#103$Table value not found$HL70357#E####use \\F\\rgb\\S\\x.", ack.Replace('%', '\\'), StringComparison.Ordinal);
        var parsed = Hl7Message.Parse(ack)!;
        Assert.Equal(["MSH", "MSA", "ERR"], parsed.Segments.Select(s => s.Id));
    }

    [Fact]
    public void Control_IDs_are_unique_and_fit_20_characters()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => Hl7Ack.NewControlId()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(20, id.Length));
    }
}
