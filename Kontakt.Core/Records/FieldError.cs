namespace Kontakt.Core.Records;

/// <summary>One reason a field of a record was refused. Never carries the submitted value.</summary>
/// <param name="Field">The field path, such as <c>dob</c> or <c>[3].name</c>.</param>
/// <param name="Message">Why it was refused.</param>
public sealed record FieldError(string Field, string Message);
