using System.Globalization;
using Kontakt.LoadTest;
using Kontakt.LoadTest.Cli;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

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
return await new LoadTestRun(parsed.Options, Console.Out).RunAsync();
