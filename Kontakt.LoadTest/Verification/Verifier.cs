using System.Diagnostics;
using System.Globalization;
using Kontakt.LoadTest.Cli;
using Kontakt.LoadTest.Data;
using Kontakt.LoadTest.Load;
using Kontakt.LoadTest.Reporting;

namespace Kontakt.LoadTest.Verification;

/// <summary>
/// Runs the checks after the load: waits until the audit store holds every acknowledged
/// record (timing it), compares counts, and resolves identities from the 201 bodies or,
/// in async mode, from the database.
/// </summary>
public sealed class Verifier(
    LoadTestOptions options,
    RecordPlan plan,
    RecordIdScheme ids,
    RunMetrics metrics,
    IdentityBook book,
    AuditStore? store)
{
    private static readonly TimeSpan CountPollInterval = TimeSpan.FromMilliseconds(50);
    private const int MaxExamples = 3;

    public async Task<VerificationReport> VerifyAsync(
        VisibilitySampler? visibility, Task visibilityDone, bool interrupted, TextWriter output, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(visibilityDone);
        ArgumentNullException.ThrowIfNull(output);
        var checks = new List<CheckResult>();
        long? stored = null;
        TimeSpan? queryableAfter = null;
        if (store is null)
        {
            checks.Add(CheckResult.Skip(VerificationRules.AuditStoreName, "--skip-verify"));
        }
        else
        {
            output.WriteLine("Waiting for the audit store to hold every acknowledged record...");
            (stored, queryableAfter) = await SettleAsync(store, abort);
            checks.Add(VerificationRules.AuditStore(metrics.AcknowledgedRecords, stored.Value, metrics.FailedRecords));
        }

        if (options.Mode == LoadMode.Async)
        {
            await AddIdentityChecksFromDatabaseAsync(checks, abort);
            await visibilityDone;
            checks.Add(visibility is null
                ? CheckResult.Skip(VerificationRules.VisibilityName, store is null ? "--skip-verify" : "--verify-sample 0")
                : VerificationRules.Visibility(visibility.Result()));
        }
        else
        {
            AddIdentityChecks(checks, book, "201 responses");
            checks.Add(store is null
                ? CheckResult.Skip(VerificationRules.DatabaseAgreesName, "--skip-verify")
                : await DatabaseAgreesAsync(store, abort));
        }
        checks.Add(VerificationRules.ResponsesMatch(metrics.MismatchedResponses));
        checks.Add(VerificationRules.AllAcknowledged(plan.Count, metrics.AcknowledgedRecords, metrics.FailedRecords, interrupted));
        return new VerificationReport(checks, stored, queryableAfter?.TotalMilliseconds is { } ms ? Math.Round(ms, 1) : null, visibility?.Result());
    }

    private async Task<(long Stored, TimeSpan? QueryableAfter)> SettleAsync(AuditStore audit, CancellationToken abort)
    {
        var acknowledged = metrics.AcknowledgedRecords;
        var lastAcknowledged = metrics.LastAcknowledgedTimestamp;
        var giveUpAt = Stopwatch.GetTimestamp() + (long)(options.SettleTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var stored = await audit.CountRecordsAsync(ids.LikePattern, abort);
            var now = Stopwatch.GetTimestamp();
            if (stored >= acknowledged)
            {
                return (stored, lastAcknowledged == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(lastAcknowledged, now));
            }
            if (now > giveUpAt)
            {
                return (stored, null);
            }
            await Task.Delay(CountPollInterval, abort);
        }
    }

    private void AddIdentityChecks(List<CheckResult> checks, IdentityBook source, string sourceName)
    {
        var acknowledgedIdentities = source.AcknowledgedIdentityCount();
        checks.Add(VerificationRules.DistinctPatients(
            acknowledgedIdentities, source.DistinctPatientCount(), source.PatientsSharedByIdentities().Count, sourceName));
        var several = source.IdentitiesWithSeveralPatients();
        var none = source.IdentitiesWithoutPatient();
        var examples = several.Take(MaxExamples).Select(i => Describe(i, source.PatientIdsOf(i).Count))
            .Concat(none.Take(MaxExamples).Select(i => Describe(i, 0)))
            .ToList();
        checks.Add(VerificationRules.OnePatientPerIdentity(acknowledgedIdentities, none.Count, several.Count, sourceName, examples));
    }

    private async Task AddIdentityChecksFromDatabaseAsync(List<CheckResult> checks, CancellationToken abort)
    {
        if (store is null)
        {
            checks.Add(CheckResult.Skip(VerificationRules.DistinctPatientsName, "async mode needs the database (--skip-verify)"));
            checks.Add(CheckResult.Skip(VerificationRules.OnePatientName, "async mode needs the database (--skip-verify)"));
            return;
        }
        var fromDatabase = new IdentityBook(plan.IdentityCount);
        await store.ReadRunPatientsAsync(ids.LikePattern, (recordId, patientId) =>
        {
            if (ids.TryParseSequence(recordId, out var sequence) && sequence < plan.Count)
            {
                fromDatabase.RecordPatient(plan[sequence].Identity, patientId);
            }
        }, abort);
        for (var identity = 0; identity < plan.IdentityCount; identity++)
        {
            if (book.IsAcknowledged(identity))
            {
                fromDatabase.MarkAcknowledged(identity);
            }
        }
        AddIdentityChecks(checks, fromDatabase, "the database: 202s carry no patient ID");
    }

    private async Task<CheckResult> DatabaseAgreesAsync(AuditStore audit, CancellationToken abort)
    {
        long rows = 0;
        long disagreements = 0;
        long foreign = 0;
        await audit.ReadRunPatientsAsync(ids.LikePattern, (recordId, patientId) =>
        {
            rows++;
            if (!ids.TryParseSequence(recordId, out var sequence) || sequence >= plan.Count)
            {
                foreign++;
            }
            else if (!book.HasPatient(plan[sequence].Identity, patientId))
            {
                disagreements++;
            }
        }, abort);
        return VerificationRules.DatabaseAgrees(rows, disagreements, foreign);
    }

    // An identity is named by its number in the run's plan (the same --seed plans the same people),
    // never by name and date of birth: reports are shared where PHI must not go.
    private static string Describe(int identity, int patients) =>
        string.Create(CultureInfo.InvariantCulture, $"identity #{identity} of the plan: {patients} patient IDs");
}
