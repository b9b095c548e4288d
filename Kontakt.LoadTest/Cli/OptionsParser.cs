using System.Globalization;
using Kontakt.LoadTest.Scenarios;

namespace Kontakt.LoadTest.Cli;

/// <summary>Parses <c>--name value</c> and <c>--name=value</c> arguments into <see cref="LoadTestOptions"/>.</summary>
public static class OptionsParser
{
    // The plan holds every record in memory (about 50 bytes each with its identity).
    public const int MaxRecords = 20_000_000;

    private static readonly HashSet<string> Flags = ["--no-live", "--skip-verify", "--dry-run", "--help", "-h", "-?"];

    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new LoadTestOptions { Arguments = [.. args] };
        var given = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                var (name, inlineValue) = Split(args[i]);
                if (Flags.Contains(name))
                {
                    if (inlineValue is not null)
                    {
                        return ParseResult.Invalid($"{name} takes no value.");
                    }
                    if (name is "--help" or "-h" or "-?")
                    {
                        return ParseResult.Help();
                    }
                    options = ApplyFlag(options, name);
                    continue;
                }
                if (!name.StartsWith("--", StringComparison.Ordinal))
                {
                    return ParseResult.Invalid($"Unexpected argument '{args[i]}'.");
                }
                var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                if (value is null)
                {
                    return ParseResult.Invalid($"{name} needs a value.");
                }
                options = Apply(options, name, value);
                given.Add(name);
            }
        }
        catch (FormatException error)
        {
            return ParseResult.Invalid(error.Message);
        }

        options = ApplyScenario(options, given);
        var problem = Validate(options);
        return problem is null ? ParseResult.Run(options) : ParseResult.Invalid(problem);
    }

    private static (string Name, string? Value) Split(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 2
            ? (argument[..equals], argument[(equals + 1)..])
            : (argument, null);
    }

    private static LoadTestOptions ApplyFlag(LoadTestOptions options, string name) => name switch
    {
        "--no-live" => options with { NoLive = true },
        "--skip-verify" => options with { SkipVerify = true },
        _ => options with { DryRun = true },
    };

    private static LoadTestOptions Apply(LoadTestOptions options, string name, string value) => name switch
    {
        "--target" => options with { Target = ParseTarget(value) },
        "--records" => options with { Records = ParseInt(name, value) },
        "--mode" => options with { Mode = ParseMode(value) },
        "--batch-size" => options with { BatchSize = ParseInt(name, value) },
        "--concurrency" => options with { Concurrency = ParseInt(name, value) },
        "--client" => options with { Client = ParseClient(value) },
        "--rate" => options with { Rate = ParseDouble(name, value) },
        "--returning" => options with { Returning = ParseDouble(name, value) },
        "--color-changes" => options with { ColorChanges = ParseDouble(name, value) },
        "--seed" => options with { Seed = ParseInt(name, value) },
        "--db" => options with { Database = value },
        "--api-key" => options with { ApiKey = value },
        "--analyst-api-key" => options with { AnalystApiKey = value },
        "--embedded-data-dir" => options with { EmbeddedDataDirectory = value },
        "--embedded-port" => options with { EmbeddedPort = ParseInt(name, value) },
        "--report-dir" => options with { ReportDirectory = value },
        "--scenario" => options with { Scenario = value },
        "--verify-sample" => options with { VerifySample = ParseInt(name, value) },
        "--settle-timeout" => options with { SettleTimeout = ParseSeconds(name, value) },
        "--warmup" => options with { WarmUp = value == "0" ? TimeSpan.Zero : ParseSeconds(name, value) },
        _ => throw new FormatException($"Unknown option {name}."),
    };

    private static LoadTestOptions ApplyScenario(LoadTestOptions options, HashSet<string> given)
    {
        if (options.Scenario != Kontakt1mScenario.Name)
        {
            return options;
        }
        return options with
        {
            Records = given.Contains("--records") ? options.Records : Kontakt1mScenario.Records,
            Mode = given.Contains("--mode") ? options.Mode : LoadMode.Single,
            Concurrency = given.Contains("--concurrency") ? options.Concurrency : Kontakt1mScenario.Concurrency,
        };
    }

    private static string? Validate(LoadTestOptions o)
    {
        if (o.Scenario is not null && o.Scenario != Kontakt1mScenario.Name)
        {
            return $"Unknown scenario '{o.Scenario}'; the only one is {Kontakt1mScenario.Name}.";
        }
        if (o.Records is < 1 or > MaxRecords)
        {
            return $"--records must be 1 to {MaxRecords:N0}.";
        }
        if (o.BatchSize is < 1 or > 10_000)
        {
            return "--batch-size must be 1 to 10000 (the service's batch limit).";
        }
        if (o.Concurrency is < 1 or > 10_000)
        {
            return "--concurrency must be 1 to 10000.";
        }
        if (o.Client == LoadClient.Raw && o.Target.Scheme != Uri.UriSchemeHttp)
        {
            return "--client raw speaks plain HTTP only; use --client http for an https:// target.";
        }
        if (o.Rate is { } rate && (rate <= 0 || double.IsInfinity(rate) || double.IsNaN(rate)))
        {
            return "--rate must be a positive number of records per second.";
        }
        if (o.Returning is < 0 or >= 1 || double.IsNaN(o.Returning))
        {
            return "--returning must be at least 0 and below 1.";
        }
        if (o.ColorChanges is < 0 or > 1 || double.IsNaN(o.ColorChanges))
        {
            return "--color-changes must be 0 to 1.";
        }
        if (o.EmbeddedPort is < 1 or > 65535)
        {
            return "--embedded-port must be 1 to 65535.";
        }
        if (o.VerifySample < 0)
        {
            return "--verify-sample must not be negative.";
        }
        if (o.SettleTimeout <= TimeSpan.Zero)
        {
            return "--settle-timeout must be positive.";
        }
        return null;
    }

    private static Uri ParseTarget(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            // A base path must end in '/', or relative request paths would replace its last segment.
            return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");
        }
        throw new FormatException($"--target must be an http:// or https:// URL (got '{value}').");
    }

    private static LoadMode ParseMode(string value) => value.ToLowerInvariant() switch
    {
        "single" => LoadMode.Single,
        "batch" => LoadMode.Batch,
        "async" => LoadMode.Async,
        _ => throw new FormatException($"--mode must be single, batch or async (got '{value}')."),
    };

    private static LoadClient ParseClient(string value) => value.ToLowerInvariant() switch
    {
        "http" => LoadClient.Http,
        "raw" => LoadClient.Raw,
        _ => throw new FormatException($"--client must be http or raw (got '{value}')."),
    };

    private static int ParseInt(string name, string value)
    {
        var normalized = value.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        return int.TryParse(normalized, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FormatException($"{name} needs a whole number (got '{value}').");
    }

    private static double ParseDouble(string name, string value) =>
        double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var result)
            && double.IsFinite(result)
            ? result
            : throw new FormatException($"{name} needs a finite number (got '{value}').");

    // A day is far beyond any sensible wait, and keeps TimeSpan.FromSeconds from overflowing.
    private static TimeSpan ParseSeconds(string name, string value)
    {
        var seconds = ParseDouble(name, value);
        return seconds is > 0 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"{name} must be more than 0 and at most 86400 seconds (got '{value}').");
    }
}
