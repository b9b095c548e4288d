using System.Runtime.InteropServices;
using System.Text.Json;
using Hl7.Fhir.Model;
using Kontakt.Core.Fhir;
using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Microsoft.AspNetCore.WebUtilities;

namespace Kontakt.Api.Fhir;

/// <summary>
/// <c>POST /fhir</c> with a <c>batch</c> or <c>transaction</c> Bundle of Patient creates. The envelope is
/// read as plain JSON and each entry's resource parsed on its own, so one bad entry of a batch fails
/// alone and entries of other resource types are answered without being parsed at all.
/// </summary>
public sealed class FhirBundles(FhirPatientMapping mapping, RecordValidator validator, FhirIngest ingest, IngestObserver observer)
{
    public const int MaxEntries = 10_000;

    // An entry's error lists at most this many issues in a refused transaction's outcome, so the
    // answer to a 10,000-entry Bundle of bad entries stays small.
    private const int MaxIssues = 100;

    private sealed record Checked(ValidatedRecord? Record, int Status, OperationOutcome.IssueType Code, IReadOnlyList<FieldError> Errors);

    /// <summary>Stores the Bundle's Patients as records of <paramref name="client"/> and answers the Bundle's response.</summary>
    public async Task<FhirResult> ProcessAsync(ReadOnlyMemory<byte> body, string client, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            observer.RecordsRejected(1);
            return FhirOutcomes.BadRequest("Bundle", "is not valid JSON.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (Envelope(root, out var transaction, out var entries) is { } refused)
            {
                observer.RecordsRejected(1);
                return refused;
            }
            var receivedAt = validator.Now();
            var checkedEntries = new Checked[entries.Count];
            for (var i = 0; i < entries.Count; i++)
            {
                checkedEntries[i] = Check(entries[i], i, client, receivedAt);
            }
            return transaction
                ? await TransactionAsync(checkedEntries, cancellationToken)
                : await BatchAsync(checkedEntries, cancellationToken);
        }
    }

    private static FhirResult? Envelope(JsonElement root, out bool transaction, out List<JsonElement> entries)
    {
        transaction = false;
        entries = [];
        if (root.ValueKind != JsonValueKind.Object)
        {
            return FhirOutcomes.BadRequest("Bundle", "must be a JSON object (a FHIR Bundle).");
        }
        if (!root.TryGetProperty("resourceType", out var resourceType) || resourceType.ValueKind != JsonValueKind.String || !resourceType.ValueEquals("Bundle"))
        {
            return FhirOutcomes.BadRequest("Bundle.resourceType", "must be Bundle.");
        }
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !(type.ValueEquals("batch") || type.ValueEquals("transaction")))
        {
            return FhirOutcomes.BadRequest("Bundle.type", "must be batch or transaction.");
        }
        transaction = type.ValueEquals("transaction");
        if (!root.TryGetProperty("entry", out var entry))
        {
            return null;
        }
        if (entry.ValueKind != JsonValueKind.Array)
        {
            return FhirOutcomes.BadRequest("Bundle.entry", "must be an array.");
        }
        var count = entry.GetArrayLength();
        if (count > MaxEntries)
        {
            return FhirOutcomes.BadRequest("Bundle.entry", $"a Bundle holds at most {MaxEntries:N0} entries (got {count:N0}); nothing was stored.");
        }
        entries = [.. entry.EnumerateArray()];
        return null;
    }

    private Checked Check(JsonElement entry, int index, string client, DateTimeOffset receivedAt)
    {
        var path = $"Bundle.entry[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return Invalid(path, "must be a JSON object.");
        }
        if (!entry.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.Object)
        {
            return Invalid(path + ".resource", "is required: Kontakt supports only creates, which carry their resource.");
        }
        if (!resource.TryGetProperty("resourceType", out var resourceType) || resourceType.ValueKind != JsonValueKind.String)
        {
            return Invalid(path + ".resource.resourceType", "is required.");
        }
        if (!resourceType.ValueEquals("Patient"))
        {
            return new Checked(null, StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotSupported,
                [new FieldError(path + ".resource.resourceType", "is not supported: Kontakt stores Patient resources only; this entry was not stored.")]);
        }
        if (!entry.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
        {
            return Invalid(path + ".request", "is required (method POST, url Patient).");
        }
        if (!request.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || !method.ValueEquals("POST"))
        {
            return new Checked(null, StatusCodes.Status405MethodNotAllowed, OperationOutcome.IssueType.NotSupported,
                [new FieldError(path + ".request.method", "must be POST: Kontakt supports creating Patients only.")]);
        }
        if (!request.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String || !IsPatientUrl(url.GetString()!))
        {
            return Invalid(path + ".request.url", "must be Patient for a Patient create.");
        }
        var errors = new List<FieldError>();
        var record = mapping.Validate(JsonMarshal.GetRawUtf8Value(resource), client, receivedAt, errors, path + ".resource");
        return record is null
            ? new Checked(null, StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, errors)
            : new Checked(record, StatusCodes.Status201Created, OperationOutcome.IssueType.Informational, []);
    }

    private static bool IsPatientUrl(string url) =>
        url == "Patient" || url.EndsWith("/Patient", StringComparison.Ordinal);

    private static Checked Invalid(string field, string reason) =>
        new(null, StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, [new FieldError(field, reason)]);

    private async Task<FhirResult> BatchAsync(Checked[] entries, CancellationToken cancellationToken)
    {
        var valid = entries.Where(e => e.Record is not null).Select(e => e.Record!).ToArray();
        observer.RecordsRejected(entries.Length - valid.Length);
        RecordOutcome[] outcomes = [];
        if (valid.Length > 0)
        {
            var committed = await ingest.StoreAsync(valid, atomic: false, cancellationToken);
            if (committed.Problem is { } problem)
            {
                return problem;
            }
            outcomes = committed.Outcomes!;
        }
        var response = new Bundle { Type = Bundle.BundleType.BatchResponse };
        var next = 0;
        foreach (var entry in entries)
        {
            response.Entry.Add(entry.Record is null ? Failed(entry) : Answered(outcomes[next++]));
        }
        return new FhirResult(StatusCodes.Status200OK, response);
    }

    private async Task<FhirResult> TransactionAsync(Checked[] entries, CancellationToken cancellationToken)
    {
        var failed = entries.Where(e => e.Record is null).ToArray();
        if (failed.Length > 0)
        {
            observer.RecordsRejected(entries.Length);
            var issues = failed.SelectMany(e => Issues(e)).ToList();
            var outcome = new OperationOutcome { Issue = issues.Take(MaxIssues).ToList() };
            outcome.Issue.Insert(0, new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = OperationOutcome.IssueType.Processing,
                Diagnostics = $"{failed.Length:N0} of {entries.Length:N0} entries cannot be processed" +
                              (issues.Count > MaxIssues ? $" (the first {MaxIssues} issues of {issues.Count:N0} are listed)" : "") +
                              "; the transaction was refused and nothing was stored.",
            });
            return new FhirResult(StatusCodes.Status400BadRequest, outcome);
        }
        var response = new Bundle { Type = Bundle.BundleType.TransactionResponse };
        if (entries.Length == 0)
        {
            return new FhirResult(StatusCodes.Status200OK, response);
        }
        var committed = await ingest.StoreAsync(entries.Select(e => e.Record!).ToArray(), atomic: true, cancellationToken);
        if (committed.Problem is { } problem)
        {
            return problem;
        }
        var outcomes = committed.Outcomes!;
        var notStored = Enumerable.Range(0, outcomes.Length).Where(i => outcomes[i] is not (RecordOutcome.Stored or RecordOutcome.Replayed)).ToArray();
        if (outcomes.FirstOrDefault(o => o is RecordOutcome.Unavailable) is { } unavailable)
        {
            return FhirOutcomes.NotStored(unavailable)!;
        }
        if (notStored.Length > 0)
        {
            return FhirOutcomes.Status(StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception,
                $"The database refused entries {string.Join(", ", notStored.Take(MaxIssues))}; the transaction was rolled back and nothing was stored.");
        }
        foreach (var outcome in outcomes)
        {
            response.Entry.Add(Answered(outcome));
        }
        return new FhirResult(StatusCodes.Status200OK, response);
    }

    private static IEnumerable<OperationOutcome.IssueComponent> Issues(Checked entry) => entry.Errors.Select(e => new OperationOutcome.IssueComponent
    {
        Severity = OperationOutcome.IssueSeverity.Error,
        Code = entry.Code,
        Diagnostics = $"{e.Field} {e.Message}",
        Expression = [e.Field],
    });

    private static Bundle.EntryComponent Failed(Checked entry) => new()
    {
        Response = new Bundle.ResponseComponent
        {
            Status = StatusLine(entry.Status),
            Outcome = new OperationOutcome { Issue = Issues(entry).ToList() },
        },
    };

    private static Bundle.EntryComponent Answered(RecordOutcome outcome) => outcome switch
    {
        RecordOutcome.Stored { Result: var result } => Created(result),
        RecordOutcome.Replayed { Result: var result } => Created(result),
        _ => NotStored(FhirOutcomes.NotStored(outcome)!),
    };

    private static Bundle.EntryComponent NotStored(FhirResult answer) => new()
    {
        Response = new Bundle.ResponseComponent
        {
            Status = StatusLine(answer.StatusCode!.Value),
            Outcome = (OperationOutcome?)answer.Resource,
        },
    };

    private static Bundle.EntryComponent Created(RecordResult result) => new()
    {
        Response = new Bundle.ResponseComponent
        {
            Status = StatusLine(result.NewPatient ? StatusCodes.Status201Created : StatusCodes.Status200OK),
            Location = FhirPublicPatient.Location(result.PatientId),
        },
    };

    private static string StatusLine(int status) => $"{status} {ReasonPhrases.GetReasonPhrase(status)}";
}
