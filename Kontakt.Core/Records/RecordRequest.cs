namespace Kontakt.Core.Records;

/// <summary>
/// A patient record as a client sends it. Every field is read as a string so that
/// validation, not the JSON reader, decides what is wrong and can name the field.
/// </summary>
public sealed class RecordRequest
{
    /// <summary>The person's full name, as the client has it.</summary>
    /// <example>Ada Lovelace</example>
    public string? Name { get; set; }

    /// <summary>Date of birth, <c>YYYY-MM-DD</c>.</summary>
    /// <example>1815-12-10</example>
    public string? Dob { get; set; }

    /// <summary>
    /// Optional: the person's favorite color, a name listed by <c>GET /v1/colors</c> (CSS or xkcd; case and
    /// spacing ignored) or <c>#rgb</c> / <c>#rrggbb</c>. Missing or null means none.
    /// </summary>
    /// <example>sky blue</example>
    public string? FavoriteColor { get; set; }

    /// <summary>Optional client key that makes a retry idempotent; the server assigns one when absent.</summary>
    /// <example>clinic-7:visit-000123</example>
    public string? RecordId { get; set; }
}
