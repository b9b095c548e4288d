using System.Globalization;
using Kontakt.LoadTest.Baselines;
using Kontakt.LoadTest.Cli;

namespace Kontakt.LoadTest;

/// <summary>
/// Entry point. An explicit class rather than top-level statements: with the ASP.NET framework
/// referenced (for the HTTP baseline), .NET would make a top-level Program public, and it would
/// clash with Kontakt.Api's Program in the test project.
/// </summary>
internal static class LoadTestMain
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        // Setting the current culture makes it an async-local value that every continuation of the run then
        // carries and restores (CPU per request): only when this thread did not start out invariant.
        if (!CultureInfo.CurrentCulture.Equals(CultureInfo.InvariantCulture))
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        }

        // Baselines measured in the same session as the load test, so its figures can be read as ratios.
        if (args is ["baseline-http", .. var httpArgs])
        {
            return await NoopHttpServer.RunAsync(httpArgs is ["--urls", var urls] ? urls : "http://127.0.0.1:5100");
        }
        if (args is ["baseline-db", "--db", var db, "--records", var records, "--batch-size", var batchSize, "--writers", var writers, .. var dbArgs])
        {
            // Each run needs a seed of its own to create new people: the same seed again sends only returning ones.
            var seed = dbArgs is ["--seed", var seedText] ? int.Parse(seedText, CultureInfo.InvariantCulture) : 42;
            return await DatabaseCeiling.RunAsync(db, int.Parse(records, CultureInfo.InvariantCulture), int.Parse(batchSize, CultureInfo.InvariantCulture),
                int.Parse(writers, CultureInfo.InvariantCulture), seed, Console.Out);
        }

        if (args is ["snapshot", "--target", var snapshotTarget, .. var snapshotArgs])
        {
            // The analyst key as a run would resolve it: $KONTAKT_ANALYST_API_KEY, $KONTAKT_API_KEY or the embedded default's files.
            var analystKey = Load.ApiKeys.Resolve(new LoadTestOptions(), Environment.GetEnvironmentVariable).Analyst;
            return await SnapshotCheck.RunAsync(new Uri(snapshotTarget.TrimEnd('/') + "/"), snapshotArgs is ["--as-of", var asOf] ? asOf : null, analystKey, Console.Out);
        }

        if (args is ["mllp", .. var mllpArgs])
        {
            if (Mllp.MllpLoadOptions.Parse(mllpArgs, out var mllpError) is not { } mllpOptions)
            {
                await Console.Error.WriteLineAsync($"{mllpError} Usage: {Mllp.MllpLoadOptions.Usage}");
                return ExitCodes.Usage;
            }
            return await Mllp.MllpLoad.RunAsync(mllpOptions, Console.Out);
        }

        var parsed = OptionsParser.Parse(args);
        if (parsed.HelpRequested)
        {
            Console.WriteLine(HelpText.Text);
            return ExitCodes.Passed;
        }
        if (parsed.Options is null)
        {
            await Console.Error.WriteLineAsync($"{parsed.Error} See --help.");
            return ExitCodes.Usage;
        }
        PreferInlineSocketCompletions();
        return await new LoadTestRun(parsed.Options, Console.Out).RunAsync();
    }

    /// <summary>
    /// The generator shares two cores with the service it measures, so every microsecond it spends
    /// per request is taken from the service. By default .NET hands each socket completion from the
    /// epoll thread to the thread pool; running it on the epoll thread instead cut the generator's
    /// CPU per request by a sixth to a fifth (docs/benchmarks.md). Safe here: nothing in the generator's
    /// continuations blocks. Read once, when the first socket is used, so it must be set before that;
    /// a value already in the environment (say 0) wins.
    /// </summary>
    private static void PreferInlineSocketCompletions()
    {
        const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
