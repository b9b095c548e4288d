namespace Kontakt.Core.Imports;

/// <summary>One reason one input line was rejected: the line, the field and why, never the value.</summary>
/// <param name="Line">1-based line number (a CSV header is line 1).</param>
/// <param name="Field">The field at fault, or <c>$</c> for the line as a whole.</param>
/// <param name="Reason">Why.</param>
public sealed record ImportLineError(long Line, string Field, string Reason);
