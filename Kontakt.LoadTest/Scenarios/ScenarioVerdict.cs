using Kontakt.LoadTest.Verification;

namespace Kontakt.LoadTest.Scenarios;

/// <summary>A scenario's outcome and the criteria it was judged by.</summary>
public sealed record ScenarioVerdict(string Scenario, bool Passed, IReadOnlyList<CheckResult> Criteria);
