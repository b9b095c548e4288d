namespace Kontakt.Core.Hl7;

/// <summary>One reason a message was not stored: a table 0357 code, where, and why — never a value of the message.</summary>
/// <param name="Code">The table 0357 code.</param>
/// <param name="Location">Where in the message; null when the fault is not in the message (the queue was full).</param>
/// <param name="Reason">Why, in words that never quote the message.</param>
public sealed record Hl7Error(Hl7ErrorCode Code, Hl7Location? Location, string Reason);
