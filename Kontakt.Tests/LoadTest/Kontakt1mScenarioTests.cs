using Kontakt.LoadTest.Scenarios;

namespace Kontakt.Tests.LoadTest;

public sealed class Kontakt1mScenarioTests
{
    private const int Required = Kontakt1mScenario.Records;

    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(42);
    private static readonly TimeSpan Queryable = TimeSpan.FromMilliseconds(800);

    private static void AssertCriteria(ScenarioVerdict verdict, bool acknowledged, bool inTime, bool queryable)
    {
        Assert.Equal(Kontakt1mScenario.Name, verdict.Scenario);
        Assert.Equal([acknowledged, inTime, queryable], verdict.Criteria.Select(c => c.Passed));
        Assert.Equal(acknowledged && inTime && queryable, verdict.Passed);
    }

    [Fact]
    public void All_acknowledged_within_60_s_and_queryable_within_5_s_passes() =>
        AssertCriteria(Kontakt1mScenario.Judge(Required, Required, Fast, Queryable), true, true, true);

    [Fact]
    public void Exactly_60_s_and_exactly_5_s_still_pass() =>
        AssertCriteria(Kontakt1mScenario.Judge(Required, Required, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)), true, true, true);

    [Fact]
    public void Acknowledging_after_60_s_fails_only_the_time_criterion() =>
        AssertCriteria(Kontakt1mScenario.Judge(Required, Required, TimeSpan.FromSeconds(60.001), Queryable), true, false, true);

    [Fact]
    public void Becoming_queryable_after_5_s_fails_only_the_queryable_criterion() =>
        AssertCriteria(Kontakt1mScenario.Judge(Required, Required, Fast, TimeSpan.FromSeconds(5.001)), true, true, false);

    [Fact]
    public void Never_becoming_queryable_fails_the_queryable_criterion() =>
        AssertCriteria(Kontakt1mScenario.Judge(Required, Required, Fast, null), true, true, false);

    [Fact]
    public void One_record_not_acknowledged_fails_even_when_fast()
    {
        var verdict = Kontakt1mScenario.Judge(Required, Required - 1, Fast, Queryable);
        Assert.False(verdict.Passed);
        Assert.False(verdict.Criteria[0].Passed, verdict.Criteria[0].Detail);
        Assert.True(verdict.Criteria[2].Passed, verdict.Criteria[2].Detail);
        Assert.Contains("999,999 of 1,000,000", verdict.Criteria[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_thresholds_are_the_promised_60_s_and_5_s()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Kontakt1mScenario.AcknowledgeWithin);
        Assert.Equal(TimeSpan.FromSeconds(5), Kontakt1mScenario.QueryableWithin);
        Assert.Equal(1_000_000, Kontakt1mScenario.Records);
    }
}
