using Kontakt.LoadTest.Load;
using Kontakt.LoadTest.Scenarios;

namespace Kontakt.LoadTest.Reporting;

/// <summary>Everything one run produced; the three report files are views of it.</summary>
public sealed record RunReport(
    string RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string CommandLine,
    string ProcessCommandLine,
    MachineInfo Machine,
    RunSettings Settings,
    DataSummary Data,
    RunResults Results,
    IReadOnlyList<SecondSample> Series,
    VerificationReport Verification,
    ScenarioVerdict? Scenario)
{
    public bool Passed => Verification.Checks.All(c => c.Passed) && (Scenario?.Passed ?? true);
}
