namespace Kontakt.LoadTest.Cli;

/// <summary>What the command line asked for: a run, the help text, or nothing valid.</summary>
public sealed record ParseResult(LoadTestOptions? Options, bool HelpRequested, string? Error)
{
    public static ParseResult Help() => new(null, true, null);

    public static ParseResult Invalid(string error) => new(null, false, error);

    public static ParseResult Run(LoadTestOptions options) => new(options, false, null);
}
