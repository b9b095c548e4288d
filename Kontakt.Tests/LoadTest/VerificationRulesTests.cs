using Kontakt.LoadTest.Reporting;
using Kontakt.LoadTest.Verification;

namespace Kontakt.Tests.LoadTest;

public sealed class VerificationRulesTests
{
    [Fact]
    public void Audit_store_holding_every_acknowledged_record_passes()
    {
        var check = VerificationRules.AuditStore(acknowledged: 3_000, stored: 3_000, failedRecords: 0);
        Assert.True(check.Passed, check.Detail);
        Assert.Equal(VerificationRules.AuditStoreName, check.Name);
    }

    [Fact]
    public void Audit_count_lower_than_acknowledged_fails_and_names_the_missing_records()
    {
        var check = VerificationRules.AuditStore(acknowledged: 3_000, stored: 2_999, failedRecords: 0);
        Assert.False(check.Passed, check.Detail);
        Assert.Contains("1 acknowledged records are missing", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_count_higher_than_acknowledged_fails()
    {
        var check = VerificationRules.AuditStore(acknowledged: 3_000, stored: 3_001, failedRecords: 5);
        Assert.False(check.Passed, check.Detail);
        Assert.Contains("more stored than acknowledged", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_generated_record_acknowledged_passes_and_one_missing_fails()
    {
        Assert.True(VerificationRules.AllAcknowledged(1_000, 1_000, 0, interrupted: false).Passed);
        var missing = VerificationRules.AllAcknowledged(1_000, 999, 1, interrupted: false);
        Assert.False(missing.Passed, missing.Detail);
        Assert.False(VerificationRules.AllAcknowledged(1_000, 400, 0, interrupted: true).Passed);
    }

    [Fact]
    public void Acknowledgements_that_did_not_match_their_requests_fail()
    {
        Assert.True(VerificationRules.ResponsesMatch(0).Passed);
        Assert.False(VerificationRules.ResponsesMatch(1).Passed);
    }

    [Fact]
    public void Database_disagreeing_with_a_201_or_holding_foreign_ids_fails()
    {
        Assert.True(VerificationRules.DatabaseAgrees(500, 0, 0).Passed);
        Assert.False(VerificationRules.DatabaseAgrees(500, 1, 0).Passed);
        Assert.False(VerificationRules.DatabaseAgrees(500, 0, 1).Passed);
    }

    [Fact]
    public void Visibility_passes_only_when_every_sample_was_seen_in_the_database_and_the_api()
    {
        var latencies = Percentiles.Summarize([1.0, 2.0, 3.0]);
        VisibilityResult Result(int sampled, int visible, int confirmed) =>
            new(sampled, visible, confirmed, 5, latencies, latencies, 0, []);

        Assert.True(VerificationRules.Visibility(Result(100, 100, 100)).Passed);
        Assert.False(VerificationRules.Visibility(Result(100, 99, 99)).Passed);
        Assert.False(VerificationRules.Visibility(Result(100, 100, 99)).Passed);
        Assert.False(VerificationRules.Visibility(Result(0, 0, 0)).Passed);
    }

    [Fact]
    public void A_skipped_check_reads_skip_and_does_not_fail_the_run()
    {
        var skipped = CheckResult.Skip(VerificationRules.AuditStoreName, "--skip-verify");
        Assert.Equal("SKIP", skipped.Status);
        Assert.True(skipped.Passed);
    }
}
