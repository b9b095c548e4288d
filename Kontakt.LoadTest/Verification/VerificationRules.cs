namespace Kontakt.LoadTest.Verification;

/// <summary>The verification's pass/fail decisions, as pure comparisons of counted figures.</summary>
public static class VerificationRules
{
    public const string AuditStoreName = "a. every acknowledged record is in the audit store";
    public const string DistinctPatientsName = "b. distinct patient IDs = distinct acknowledged identities";
    public const string OnePatientName = "c. each identity got exactly one patient ID";
    public const string VisibilityName = "d. async: sampled records visible in database and API";
    public const string DatabaseAgreesName = "e. stored patient of each record = patient the 201 returned";
    public const string ResponsesMatchName = "f. acknowledgements match their requests";
    public const string AllAcknowledgedName = "g. every generated record was acknowledged";

    public static CheckResult AuditStore(long acknowledged, long stored, long failedRecords)
    {
        var detail = $"{stored:N0} stored with the run's prefix, {acknowledged:N0} acknowledged";
        if (stored > acknowledged)
        {
            detail += failedRecords > 0
                ? $" (more stored than acknowledged: some of the {failedRecords:N0} records given up on were stored anyway)"
                : " (more stored than acknowledged)";
        }
        else if (stored < acknowledged)
        {
            detail += $" ({acknowledged - stored:N0} acknowledged records are missing)";
        }
        return new CheckResult(AuditStoreName, stored == acknowledged, detail);
    }

    public static CheckResult DistinctPatients(int acknowledgedIdentities, int distinctPatients, int sharedPatients, string source)
    {
        var detail = $"{distinctPatients:N0} patient IDs for {acknowledgedIdentities:N0} identities (from {source})";
        if (sharedPatients > 0)
        {
            detail += $"; {sharedPatients:N0} patient IDs were given to more than one identity (people merged)";
        }
        return new CheckResult(DistinctPatientsName, distinctPatients == acknowledgedIdentities && sharedPatients == 0, detail);
    }

    public static CheckResult OnePatientPerIdentity(int acknowledgedIdentities, int withoutPatient, int withSeveral, string source, IReadOnlyList<string> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var detail = $"{acknowledgedIdentities:N0} identities (from {source}): {withSeveral:N0} with several patient IDs, {withoutPatient:N0} with none";
        if (examples.Count > 0)
        {
            detail += "; e.g. " + string.Join("; ", examples);
        }
        return new CheckResult(OnePatientName, withoutPatient == 0 && withSeveral == 0, detail);
    }

    public static CheckResult DatabaseAgrees(long storedRows, long disagreements, long foreignIds)
    {
        var detail = $"{storedRows:N0} stored records read back: {disagreements:N0} with another patient than the 201 said";
        if (foreignIds > 0)
        {
            detail += $", {foreignIds:N0} record IDs not of this run's form";
        }
        return new CheckResult(DatabaseAgreesName, disagreements == 0 && foreignIds == 0, detail);
    }

    public static CheckResult ResponsesMatch(long mismatched) => new(
        ResponsesMatchName,
        mismatched == 0,
        mismatched == 0 ? "every 201/202 body listed the request's records, in order" : $"{mismatched:N0} acknowledgements had unreadable bodies or other record IDs");

    public static CheckResult AllAcknowledged(int generated, long acknowledged, long givenUp, bool interrupted)
    {
        var detail = $"{acknowledged:N0} of {generated:N0} acknowledged";
        if (givenUp > 0)
        {
            detail += $", {givenUp:N0} given up on (see the status counts and error samples)";
        }
        if (interrupted)
        {
            detail += ", run interrupted";
        }
        return new CheckResult(AllAcknowledgedName, acknowledged == generated, detail);
    }

    public static CheckResult Visibility(VisibilityResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var passed = result.Sampled > 0 && result.VisibleInDatabase == result.Sampled && result.ConfirmedByApi == result.Sampled;
        var detail = $"{result.Sampled:N0} sampled, {result.VisibleInDatabase:N0} visible in the database, {result.ConfirmedByApi:N0} confirmed by the API; " +
            $"202→database p50 {result.ToDatabase.P50Ms:0.0} ms, p99 {result.ToDatabase.P99Ms:0.0} ms, max {result.ToDatabase.MaxMs:0.0} ms; " +
            $"202→API p50 {result.ToApi.P50Ms:0.0} ms, p99 {result.ToApi.P99Ms:0.0} ms, max {result.ToApi.MaxMs:0.0} ms (poll every {result.PollIntervalMs:0} ms)";
        if (result.ApiProblems.Count > 0)
        {
            detail += "; " + string.Join("; ", result.ApiProblems.Take(3));
        }
        return new CheckResult(VisibilityName, passed, detail);
    }
}
