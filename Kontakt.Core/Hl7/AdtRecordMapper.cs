using Kontakt.Core.Records;

namespace Kontakt.Core.Hl7;

/// <summary>
/// Turns an HL7 v2 ADT message into a Kontakt record, the same one whichever way a person arrives:
/// PID-5 → name (<see cref="XpnName"/>), PID-7 → dob, the OBX with identifier <c>favorite-color</c> →
/// favoriteColor, MSH-3 + MSH-4 + MSH-10 → recordId (<see cref="Hl7RecordId"/>); then the one
/// <see cref="RecordValidator"/> every input goes through. Used by the MLLP listener and by file imports.
/// </summary>
public sealed class AdtRecordMapper(RecordValidator validator)
{
    /// <summary>The OBX-3 identifier of the observation that carries the favorite color.</summary>
    public const string FavoriteColorObservation = "favorite-color";

    /// <summary>The one MSH-18 character set accepted (absent means the same).</summary>
    public const string Utf8CharacterSet = "UNICODE UTF-8";

    /// <summary>MSH-9.2 trigger events accepted with message type ADT.</summary>
    public static IReadOnlySet<string> AcceptedTriggers { get; } = new HashSet<string>(StringComparer.Ordinal) { "A01", "A04", "A08", "A28", "A31" };

    /// <summary>MSH-12 versions accepted: 2.3 to 2.8 with their point releases.</summary>
    public static IReadOnlySet<string> AcceptedVersions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2",
    };

    /// <summary>Maps and validates <paramref name="message"/> of <paramref name="client"/>, received at <paramref name="receivedAt"/>.</summary>
    public AdtRecord Map(Hl7Message message, string client, DateTimeOffset receivedAt)
    {
        var mapping = ToRequest(message);
        if (mapping.Request is null)
        {
            return new AdtRecord(mapping.Code, null, mapping.Errors);
        }
        var fieldErrors = new List<FieldError>();
        var record = validator.Validate(mapping.Request, client, receivedAt, fieldErrors);
        if (record is not null)
        {
            return new AdtRecord(Hl7AckCode.AA, record, []);
        }
        var errors = fieldErrors.Select(e => ToHl7Error(e, mapping)).ToArray();
        return new AdtRecord(Hl7AckCode.AE, null, errors);
    }

    /// <summary>Maps <paramref name="message"/> to a record request without validating the record (that is <see cref="Map"/>).</summary>
    public static AdtMapping ToRequest(Hl7Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rejected = CheckHeader(message);
        if (rejected.Count > 0)
        {
            return new AdtMapping(Hl7AckCode.AR, null, rejected);
        }
        var errors = new List<Hl7Error>();
        if (!message.IsValidUtf8)
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.DataTypeError, new Hl7Location("MSH", Field: 18), "the message is not valid UTF-8."));
            return new AdtMapping(Hl7AckCode.AE, null, errors);
        }
        var recordId = RecordIdOf(message, errors);
        var pids = message.All("PID").ToList();
        if (pids.Count != 1)
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.SegmentSequenceError, new Hl7Location("PID"),
                pids.Count == 0 ? "the message has no PID segment." : "the message has more than one PID segment."));
            return new AdtMapping(Hl7AckCode.AE, null, errors);
        }
        var name = NameOf(pids[0], message.Delimiters, errors);
        var dob = DobOf(pids[0], message.Delimiters, errors);
        var (color, colorLocation) = ColorOf(message, errors);
        if (errors.Count > 0)
        {
            return new AdtMapping(Hl7AckCode.AE, null, errors);
        }
        var request = new RecordRequest { Name = name, Dob = dob, FavoriteColor = color, RecordId = recordId };
        return new AdtMapping(Hl7AckCode.AA, request, [], colorLocation);
    }

    private static List<Hl7Error> CheckHeader(Hl7Message message)
    {
        var header = message.Header;
        var delimiters = message.Delimiters;
        var errors = new List<Hl7Error>();
        if (AdtFields.IsEmpty(header.Field(10)))
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, new Hl7Location("MSH", Field: 10), "the message control ID is required."));
        }

        var type = Hl7Segment.Part(header.Field(9), delimiters.Component, 1);
        var trigger = Hl7Segment.Part(header.Field(9), delimiters.Component, 2);
        if (AdtFields.IsEmpty(type))
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, new Hl7Location("MSH", Field: 9), "the message type is required."));
        }
        else if (type != "ADT")
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.UnsupportedMessageType, new Hl7Location("MSH", Field: 9, Component: 1), "only ADT messages are accepted."));
        }
        else if (!AcceptedTriggers.Contains(trigger))
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.UnsupportedEventCode, new Hl7Location("MSH", Field: 9, Component: 2),
                "only the trigger events A01, A04, A08, A28 and A31 are accepted."));
        }

        var processingId = Hl7Segment.Part(header.Field(11), delimiters.Component, 1);
        if (AdtFields.IsEmpty(processingId))
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, new Hl7Location("MSH", Field: 11), "the processing ID is required."));
        }
        else if (processingId != "P")
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.UnsupportedProcessingId, new Hl7Location("MSH", Field: 11, Component: 1),
                "only production messages (processing ID P) are accepted."));
        }

        var version = Hl7Segment.Part(header.Field(12), delimiters.Component, 1);
        if (AdtFields.IsEmpty(version))
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, new Hl7Location("MSH", Field: 12), "the version ID is required."));
        }
        else if (!AcceptedVersions.Contains(version))
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.UnsupportedVersionId, new Hl7Location("MSH", Field: 12, Component: 1),
                "only versions 2.3 to 2.8 (2.3, 2.3.1, 2.4, 2.5, 2.5.1, 2.6, 2.7, 2.7.1, 2.8, 2.8.1, 2.8.2) are accepted."));
        }

        foreach (var characterSet in header.Field(18).Split(delimiters.Repetition))
        {
            if (!AdtFields.IsEmpty(characterSet) && characterSet != Utf8CharacterSet)
            {
                errors.Add(new Hl7Error(Hl7ErrorCode.TableValueNotFound, new Hl7Location("MSH", Field: 18),
                    $"only the character set {Utf8CharacterSet} (or none, meaning the same) is accepted."));
                break;
            }
        }
        return errors;
    }

    private static string? RecordIdOf(Hl7Message message, List<Hl7Error> errors)
    {
        var application = HierarchicDesignator(message, 3, errors);
        var facility = HierarchicDesignator(message, 4, errors);
        if (!Hl7Escapes.TryDecode(message.Header.Field(10), message.Delimiters, out var controlId))
        {
            errors.Add(Undecodable(new Hl7Location("MSH", Field: 10)));
            return null;
        }
        return application is null || facility is null ? null : Hl7RecordId.From(application, facility, controlId);
    }

    // An HD's components decoded and joined by ^, trailing empty ones left out.
    private static string? HierarchicDesignator(Hl7Message message, int field, List<Hl7Error> errors)
    {
        var components = message.Header.Field(field).Split(message.Delimiters.Component);
        var decoded = new List<string>(components.Length);
        foreach (var component in components)
        {
            if (!Hl7Escapes.TryDecode(component, message.Delimiters, out var value))
            {
                errors.Add(Undecodable(new Hl7Location("MSH", Field: field)));
                return null;
            }
            decoded.Add(value);
        }
        while (decoded.Count > 0 && decoded[^1].Length == 0)
        {
            decoded.RemoveAt(decoded.Count - 1);
        }
        return string.Join('^', decoded);
    }

    private static string? NameOf(Hl7Segment pid, Hl7Delimiters delimiters, List<Hl7Error> errors)
    {
        var location = new Hl7Location("PID", Field: 5);
        if (XpnName.Choose(pid.Field(5), delimiters) is not { } repetition)
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, location, "the patient name is required."));
            return null;
        }
        if (!XpnName.TryCompose(repetition, delimiters, out var name))
        {
            errors.Add(Undecodable(location));
            return null;
        }
        if (name.Length == 0)
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, location,
                "the patient name has no given or family name (components 1 to 3)."));
            return null;
        }
        return name;
    }

    private static string? DobOf(Hl7Segment pid, Hl7Delimiters delimiters, List<Hl7Error> errors)
    {
        var location = new Hl7Location("PID", Field: 7);
        var raw = Hl7Segment.Part(pid.Field(7).Split(delimiters.Repetition)[0], delimiters.Component, 1);
        if (AdtFields.IsEmpty(raw))
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, location, "the date of birth is required."));
            return null;
        }
        if (!Hl7Escapes.TryDecode(raw, delimiters, out var value) || !Hl7Date.TryRead(value, out var dob))
        {
            errors.Add(new Hl7Error(Hl7ErrorCode.DataTypeError, location,
                "the date of birth must be a date YYYYMMDD, optionally followed by a time and zone (HL7 DTM)."));
            return null;
        }
        return dob;
    }

    private static (string? Color, Hl7Location? Location) ColorOf(Hl7Message message, List<Hl7Error> errors)
    {
        var delimiters = message.Delimiters;
        var sequence = 0;
        foreach (var obx in message.All("OBX"))
        {
            sequence++;
            var identifier = Hl7Segment.Part(obx.Field(3), delimiters.Component, 1);
            if (!string.Equals(identifier, FavoriteColorObservation, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var location = new Hl7Location("OBX", sequence, 5);
            var raw = Hl7Segment.Part(obx.Field(5).Split(delimiters.Repetition)[0], delimiters.Component, 1);
            if (AdtFields.IsEmpty(raw))
            {
                return (null, null);
            }
            if (!Hl7Escapes.TryDecode(raw, delimiters, out var color))
            {
                errors.Add(Undecodable(location));
                return (null, null);
            }
            return (color, location);
        }
        return (null, null);
    }

    private static Hl7Error Undecodable(Hl7Location location) =>
        new(Hl7ErrorCode.DataTypeError, location,
            "the value holds an escape sequence Kontakt does not decode (only \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ \\P\\ \\H\\ \\N\\ and \\Xhh..\\ with UTF-8 bytes).");

    // The validator's reasons name the record's fields; the sender needs the message's.
    private static Hl7Error ToHl7Error(FieldError error, AdtMapping mapping) => error.Field switch
    {
        "name" => new Hl7Error(Hl7ErrorCode.DataTypeError, new Hl7Location("PID", Field: 5), "the patient name " + error.Message),
        "dob" => new Hl7Error(Hl7ErrorCode.DataTypeError, new Hl7Location("PID", Field: 7),
            error.Message.StartsWith("must be between", StringComparison.Ordinal)
                ? "the date of birth " + error.Message
                : "the date of birth must be a calendar date YYYYMMDD."),
        "favoriteColor" => new Hl7Error(
            IsColorName(mapping.Request!.FavoriteColor!) ? Hl7ErrorCode.TableValueNotFound : Hl7ErrorCode.DataTypeError,
            mapping.ColorLocation, "the favorite color " + error.Message),
        _ => new Hl7Error(Hl7ErrorCode.DataTypeError, new Hl7Location("MSH", Field: 10), "the record ID " + error.Message),
    };

    // A plausible name that is simply not in the vocabulary is a table miss; anything else is not a color at all.
    private static bool IsColorName(string color) =>
        color.Length <= RecordValidator.MaxColorLength && !color.Any(char.IsControl);
}
