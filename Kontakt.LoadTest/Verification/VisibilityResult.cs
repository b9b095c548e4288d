using Kontakt.LoadTest.Reporting;

namespace Kontakt.LoadTest.Verification;

/// <summary>async mode: how long sampled records took from their 202 until they could be read.</summary>
/// <param name="Sampled">Sampled records that were acknowledged.</param>
/// <param name="VisibleInDatabase">Of those, found in the database.</param>
/// <param name="ConfirmedByApi">Of those, shown by <c>GET /v1/patients/{id}</c> with the same patient ID.</param>
/// <param name="PollIntervalMs">Database poll interval: the resolution of <paramref name="ToDatabase"/>.</param>
/// <param name="ToDatabase">202 to visible in the database (time the finding poll completed).</param>
/// <param name="ToApi">202 to the API answering 200 for the record's patient.</param>
/// <param name="PollErrors">Database polls that failed (retried).</param>
/// <param name="ApiProblems">First few API confirmation failures.</param>
public sealed record VisibilityResult(
    int Sampled,
    int VisibleInDatabase,
    int ConfirmedByApi,
    double PollIntervalMs,
    PercentileSummary ToDatabase,
    PercentileSummary ToApi,
    int PollErrors,
    IReadOnlyList<string> ApiProblems);
