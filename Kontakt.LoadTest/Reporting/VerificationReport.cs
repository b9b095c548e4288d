using Kontakt.LoadTest.Verification;

namespace Kontakt.LoadTest.Reporting;

/// <summary>
/// The checks after the run. QueryableAfterMs runs from the last acknowledgement until the audit
/// store counted every acknowledged record.
/// </summary>
public sealed record VerificationReport(
    IReadOnlyList<CheckResult> Checks,
    long? StoredRecords,
    double? QueryableAfterMs,
    VisibilityResult? Visibility);
