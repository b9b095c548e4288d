using System.Globalization;
using System.Text;

namespace Kontakt.Core.Hl7;

/// <summary>
/// Builds the acknowledgment of a message (original acknowledgment mode): an MSH that swaps the sender
/// (MSH-3/4) and the receiver (MSH-5/6), MSH-9 <c>ACK^&lt;trigger&gt;^ACK</c>, its own control ID, the same
/// processing ID, version and delimiters; <c>MSA|&lt;code&gt;|&lt;MSH-10&gt;</c>; and one ERR per error. ERR
/// follows the message's version: ERR-1 (segment^sequence^field^code) for 2.3 and 2.4, ERR-2 (location),
/// ERR-3 (code, HL70357), ERR-4 (severity E) and ERR-8 (the reason) from 2.5 on. No value of the message
/// but its header fields is copied into the answer.
/// </summary>
public static class Hl7Ack
{
    private const string ErrorTable = "HL70357";

    /// <summary>The ACK of <paramref name="message"/>, its segments ending with CR.</summary>
    /// <param name="message">The message acknowledged.</param>
    /// <param name="code">AA, AE or AR.</param>
    /// <param name="errors">Why, for AE and AR.</param>
    /// <param name="controlId">The ACK's own MSH-10 (<see cref="NewControlId"/>).</param>
    /// <param name="now">MSH-7.</param>
    public static string Build(Hl7Message message, Hl7AckCode code, IReadOnlyList<Hl7Error> errors, string controlId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(errors);
        var d = message.Delimiters;
        var header = message.Header;
        var trigger = Hl7Segment.Part(header.Field(9), d.Component, 2);
        var version = Hl7Segment.Part(header.Field(12), d.Component, 1);
        var processingId = AdtFields.IsEmpty(header.Field(11)) ? "P" : header.Field(11);
        var f = d.Field;

        var ack = new StringBuilder(256);
        ack.Append("MSH").Append(f).Append(d.EncodingCharacters)
            .Append(f).Append(header.Field(5)).Append(f).Append(header.Field(6))
            .Append(f).Append(header.Field(3)).Append(f).Append(header.Field(4))
            .Append(f).Append(now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)).Append("+0000")
            .Append(f)
            .Append(f).Append("ACK");
        if (trigger.Length > 0)
        {
            ack.Append(d.Component).Append(trigger).Append(d.Component).Append("ACK");
        }
        ack.Append(f).Append(Hl7Escapes.Encode(controlId, d))
            .Append(f).Append(processingId)
            .Append(f).Append(header.Field(12));
        if (!AdtFields.IsEmpty(header.Field(18)))
        {
            ack.Append(f, 6).Append(AdtRecordMapper.Utf8CharacterSet);
        }
        ack.Append('\r');

        var legacyErr = version is "2.3" or "2.3.1" or "2.4";
        ack.Append("MSA").Append(f).Append(code.ToString()).Append(f).Append(header.Field(10));
        if (legacyErr && errors.Count > 0)
        {
            // Before 2.5 ERR has no text of its own: MSA-3 carries the first reason.
            ack.Append(f).Append(Hl7Escapes.Encode(errors[0].Reason, d));
        }
        ack.Append('\r');

        foreach (var error in errors)
        {
            if (legacyErr)
            {
                AppendLegacyErr(ack, error, d);
            }
            else
            {
                AppendErr(ack, error, d);
            }
        }
        return ack.ToString();
    }

    /// <summary>A control ID for an ACK: 20 characters (the v2.3/2.4 limit of MSH-10), time-ordered and unique.</summary>
    public static string NewControlId() => "K" + Guid.CreateVersion7().ToString("N")[..19];

    // ERR|<segment>^<sequence>^<field>^<code>&<text>&HL70357
    private static void AppendLegacyErr(StringBuilder ack, Hl7Error error, Hl7Delimiters d)
    {
        var location = error.Location;
        ack.Append("ERR").Append(d.Field)
            .Append(location?.Segment).Append(d.Component)
            .Append(location is null ? "" : Number(location.Sequence)).Append(d.Component)
            .Append(location?.Field is { } field ? Number(field) : "").Append(d.Component)
            .Append(Number((int)error.Code)).Append(d.Subcomponent).Append(error.Code.Text()).Append(d.Subcomponent).Append(ErrorTable)
            .Append('\r');
    }

    // ERR||<segment>^<sequence>^<field>^<repetition>^<component>|<code>^<text>^HL70357|E||||<reason>
    private static void AppendErr(StringBuilder ack, Hl7Error error, Hl7Delimiters d)
    {
        ack.Append("ERR").Append(d.Field).Append(d.Field);
        if (error.Location is { } location)
        {
            ack.Append(location.Segment).Append(d.Component).Append(Number(location.Sequence));
            if (location.Field is { } field)
            {
                ack.Append(d.Component).Append(Number(field));
                if (location.Component is { } component)
                {
                    ack.Append(d.Component).Append('1').Append(d.Component).Append(Number(component));
                }
            }
        }
        ack.Append(d.Field).Append(Number((int)error.Code)).Append(d.Component).Append(error.Code.Text()).Append(d.Component).Append(ErrorTable)
            .Append(d.Field).Append('E')
            .Append(d.Field, 4).Append(Hl7Escapes.Encode(error.Reason, d))
            .Append('\r');
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
