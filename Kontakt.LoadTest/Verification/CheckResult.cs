namespace Kontakt.LoadTest.Verification;

/// <summary>One named check, whether it passed, and the figures behind it.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail)
{
    /// <summary>True when the check could not run (for example <c>--skip-verify</c>); counts as neither pass nor fail.</summary>
    public bool Skipped { get; init; }

    public string Status => Skipped ? "SKIP" : Passed ? "PASS" : "FAIL";

    public static CheckResult Skip(string name, string reason) => new(name, true, reason) { Skipped = true };
}
