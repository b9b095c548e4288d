namespace Kontakt.Core.Hl7;

/// <summary>MSA-1, the acknowledgment code (original acknowledgment mode).</summary>
public enum Hl7AckCode
{
    /// <summary>Application accept: the record is committed (or was already, for a retransmission).</summary>
    AA,

    /// <summary>Application error: the content is wrong; resending it unchanged will fail again.</summary>
    AE,

    /// <summary>
    /// Application reject: an unsupported message type, event, version, processing ID or character set, or
    /// the message could not be processed for reasons unrelated to its content (overload); see docs/integrations.md.
    /// </summary>
    AR,
}
