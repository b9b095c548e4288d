namespace Kontakt.Core.Hl7;

/// <summary>The codes of HL7 table 0357 (message error condition codes) Kontakt answers with.</summary>
public enum Hl7ErrorCode
{
    /// <summary>A segment the message needs is missing, or repeated where it may not be.</summary>
    SegmentSequenceError = 100,

    /// <summary>A field the mapping needs is empty or absent.</summary>
    RequiredFieldMissing = 101,

    /// <summary>A field's value is not of its type: not a date, a name that is not a valid name, an undecodable escape.</summary>
    DataTypeError = 102,

    /// <summary>A coded value is not one of its table: a color outside the vocabulary, an unsupported character set.</summary>
    TableValueNotFound = 103,

    /// <summary>MSH-9's message type is not ADT.</summary>
    UnsupportedMessageType = 200,

    /// <summary>MSH-9's trigger event is not one Kontakt accepts.</summary>
    UnsupportedEventCode = 201,

    /// <summary>MSH-11's processing ID is not P (production).</summary>
    UnsupportedProcessingId = 202,

    /// <summary>MSH-12's version is not one of 2.3 to 2.8.</summary>
    UnsupportedVersionId = 203,

    /// <summary>The message's control ID was already stored for a different person or color.</summary>
    DuplicateKeyIdentifier = 205,

    /// <summary>Kontakt could not store the message now (queue full, commit not confirmed, database refusal).</summary>
    ApplicationInternalError = 207,
}

/// <summary>The texts table 0357 gives its codes.</summary>
public static class Hl7ErrorCodes
{
    /// <summary>The table's name for <paramref name="code"/>, as ERR-3.2 carries it.</summary>
    public static string Text(this Hl7ErrorCode code) => code switch
    {
        Hl7ErrorCode.SegmentSequenceError => "Segment sequence error",
        Hl7ErrorCode.RequiredFieldMissing => "Required field missing",
        Hl7ErrorCode.DataTypeError => "Data type error",
        Hl7ErrorCode.TableValueNotFound => "Table value not found",
        Hl7ErrorCode.UnsupportedMessageType => "Unsupported message type",
        Hl7ErrorCode.UnsupportedEventCode => "Unsupported event code",
        Hl7ErrorCode.UnsupportedProcessingId => "Unsupported processing id",
        Hl7ErrorCode.UnsupportedVersionId => "Unsupported version id",
        Hl7ErrorCode.DuplicateKeyIdentifier => "Duplicate key identifier",
        Hl7ErrorCode.ApplicationInternalError => "Application internal error",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}
