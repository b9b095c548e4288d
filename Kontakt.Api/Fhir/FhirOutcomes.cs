using Hl7.Fhir.Model;
using Kontakt.Core.Records;

namespace Kontakt.Api.Fhir;

/// <summary>
/// OperationOutcomes: the FHIR form of every error Kontakt gives. Each issue's <c>expression</c> names the
/// element and its <c>diagnostics</c> the reason; neither ever carries a submitted value.
/// </summary>
internal static class FhirOutcomes
{
    public static OperationOutcome Invalid(IEnumerable<FieldError> errors) => new()
    {
        Issue = errors.Select(e => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = OperationOutcome.IssueType.Invalid,
            Diagnostics = $"{e.Field} {e.Message}",
            Expression = [e.Field],
        }).ToList(),
    };

    public static OperationOutcome Issue(OperationOutcome.IssueType code, string diagnostics, string? expression = null, OperationOutcome.IssueSeverity severity = OperationOutcome.IssueSeverity.Error) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = severity,
                Code = code,
                Diagnostics = diagnostics,
                Expression = expression is null ? [] : [expression],
            },
        ],
    };

    public static FhirResult BadRequest(IEnumerable<FieldError> errors) => new(StatusCodes.Status400BadRequest, Invalid(errors));

    public static FhirResult BadRequest(string expression, string reason) => BadRequest([new FieldError(expression, reason)]);

    public static FhirResult Status(int status, OperationOutcome.IssueType code, string diagnostics, int? retryAfterSeconds = null) =>
        new(status, Issue(code, diagnostics)) { RetryAfterSeconds = retryAfterSeconds };

    public static FhirResult NotFound(string diagnostics) => Status(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, diagnostics);

    /// <summary>The answer for a Patient that was not stored; null when it was (stored or replayed).</summary>
    public static FhirResult? NotStored(RecordOutcome outcome) => outcome switch
    {
        RecordOutcome.Stored or RecordOutcome.Replayed => null,
        RecordOutcome.Unavailable => Status(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient,
            "The database could not be written for too long; this Patient may or may not be stored. Sending it again is safe: the same person keeps one patient ID.",
            retryAfterSeconds: 5),
        RecordOutcome.Conflict => Status(StatusCodes.Status409Conflict, OperationOutcome.IssueType.Conflict,
            "This entry's record ID is already stored for a different record; it was not stored."),
        _ => Status(StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception,
            "The database refused this Patient; it was not stored. Retrying will not help."),
    };
}
