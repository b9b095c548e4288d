using Kontakt.LoadTest.Cli;
using Kontakt.LoadTest.Scenarios;

namespace Kontakt.Tests.LoadTest;

public sealed class OptionsParserTests
{
    private static LoadTestOptions Valid(params string[] args)
    {
        var result = OptionsParser.Parse(args);
        Assert.True(result.Options is not null, $"'{string.Join(' ', args)}' was refused: {result.Error}");
        Assert.Null(result.Error);
        Assert.False(result.HelpRequested);
        return result.Options;
    }

    private static string Invalid(params string[] args)
    {
        var result = OptionsParser.Parse(args);
        Assert.Null(result.Options);
        Assert.False(result.HelpRequested);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        return result.Error;
    }

    [Fact]
    public void No_arguments_give_the_documented_defaults()
    {
        var options = Valid();
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), options.Target);
        Assert.Equal(LoadMode.Single, options.Mode);
        Assert.Equal(100_000, options.Records);
        Assert.Equal(1000, options.BatchSize);
        Assert.Equal(128, options.Concurrency);
        Assert.Null(options.Rate);
        Assert.False(options.OpenModel);
        Assert.Equal(0.2, options.Returning);
        Assert.Equal(0.1, options.ColorChanges);
        Assert.Equal(42, options.Seed);
        Assert.Equal(1000, options.VerifySample);
        Assert.Equal(TimeSpan.FromSeconds(60), options.SettleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.WarmUp);
        Assert.Equal(55432, options.EmbeddedPort);
        Assert.Equal(LoadClient.Http, options.Client);
        Assert.Null(options.Scenario);
        Assert.Null(options.Database);
        Assert.False(options.NoLive || options.SkipVerify || options.DryRun);
    }

    [Fact]
    public void A_full_batch_command_line_parses_to_its_options()
    {
        string[] args =
        [
            "--target", "http://10.0.0.5:8080", "--mode", "batch", "--records", "3000", "--batch-size", "250",
            "--concurrency", "16", "--returning", "0.3", "--color-changes", "0.5", "--seed", "7",
            "--db", "Host=db;Password=x", "--report-dir", "/tmp/r", "--no-live", "--verify-sample", "10", "--settle-timeout", "2.5",
        ];
        var options = Valid(args);

        Assert.Equal(new Uri("http://10.0.0.5:8080/"), options.Target);
        Assert.Equal(LoadMode.Batch, options.Mode);
        Assert.Equal(3000, options.Records);
        Assert.Equal(250, options.BatchSize);
        Assert.Equal(250, options.RecordsPerRequest);
        Assert.Equal(16, options.Concurrency);
        Assert.Equal(0.3, options.Returning);
        Assert.Equal(0.5, options.ColorChanges);
        Assert.Equal(7, options.Seed);
        Assert.Equal("Host=db;Password=x", options.Database);
        Assert.Equal("/tmp/r", options.ReportDirectory);
        Assert.True(options.NoLive);
        Assert.Equal(10, options.VerifySample);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.SettleTimeout);
        Assert.Equal(args, options.Arguments);
    }

    [Fact]
    public void Name_equals_value_works_like_name_space_value()
    {
        var options = Valid("--mode=async", "--records=1_000", "--rate=20000", "--concurrency=64", "--db=Host=db;Password=a=b");
        Assert.Equal(LoadMode.Async, options.Mode);
        Assert.Equal(1_000, options.Records);
        Assert.Equal(20_000, options.Rate);
        Assert.True(options.OpenModel);
        Assert.Equal(64, options.Concurrency);
        Assert.Equal(1, options.RecordsPerRequest);
        Assert.Equal("Host=db;Password=a=b", options.Database);
    }

    [Theory]
    [InlineData("1,000,000", 1_000_000)]
    [InlineData("1_000_000", 1_000_000)]
    [InlineData("250", 250)]
    public void Record_counts_may_use_digit_separators(string text, int records) =>
        Assert.Equal(records, Valid("--records", text).Records);

    [Theory]
    [InlineData("SINGLE", LoadMode.Single)]
    [InlineData("Batch", LoadMode.Batch)]
    [InlineData("async", LoadMode.Async)]
    public void Modes_are_case_insensitive(string text, LoadMode mode) =>
        Assert.Equal(mode, Valid("--mode", text).Mode);

    [Theory]
    [InlineData("http", LoadClient.Http)]
    [InlineData("raw", LoadClient.Raw)]
    [InlineData("RAW", LoadClient.Raw)]
    public void The_client_is_http_or_raw_in_any_case(string text, LoadClient client)
    {
        Assert.Equal(client, Valid("--client", text).Client);
        Assert.Equal(client, Valid("--client=" + text).Client);
    }

    [Fact]
    public void An_unknown_client_is_an_error_that_names_the_choices() =>
        Assert.Contains("--client must be http or raw", Invalid("--client", "curl"), StringComparison.Ordinal);

    [Fact]
    public void The_raw_client_refuses_an_https_target_and_the_http_client_takes_it()
    {
        Assert.Contains("--client http", Invalid("--target", "https://host:5001", "--client", "raw"), StringComparison.Ordinal);
        Assert.Equal(LoadClient.Http, Valid("--target", "https://host:5001", "--client", "http").Client);
    }

    [Fact]
    public void A_target_with_a_base_path_gets_a_trailing_slash() =>
        Assert.Equal("http://host:5000/kontakt/", Valid("--target", "http://host:5000/kontakt").Target.ToString());

    [Fact]
    public void The_kontakt_1m_scenario_defaults_to_a_million_single_records()
    {
        var options = Valid("--scenario", "kontakt-1m");
        Assert.Equal(Kontakt1mScenario.Name, options.Scenario);
        Assert.Equal(1_000_000, options.Records);
        Assert.Equal(LoadMode.Single, options.Mode);
        Assert.Equal(512, options.Concurrency);
    }

    [Fact]
    public void Records_mode_and_concurrency_given_with_the_scenario_win_over_its_defaults()
    {
        var options = Valid("--mode", "batch", "--scenario", "kontakt-1m", "--records", "5000", "--concurrency", "64");
        Assert.Equal(5_000, options.Records);
        Assert.Equal(LoadMode.Batch, options.Mode);
        Assert.Equal(64, options.Concurrency);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void Help_is_recognised(string flag)
    {
        var result = OptionsParser.Parse(["--records", "5", flag]);
        Assert.True(result.HelpRequested);
        Assert.Null(result.Options);
    }

    [Fact]
    public void An_unknown_option_is_an_error_that_names_it() =>
        Assert.Contains("--recods", Invalid("--recods", "5"), StringComparison.Ordinal);

    [Theory]
    [InlineData("--returning", "1.5")]
    [InlineData("--returning", "1")]
    [InlineData("--returning", "-0.1")]
    [InlineData("--returning", "NaN")]
    public void Returning_outside_0_to_below_1_is_an_error(string name, string value) =>
        Assert.Contains("--returning", Invalid(name, value), StringComparison.Ordinal);

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("20000001")]
    [InlineData("1.5")]
    [InlineData("lots")]
    public void Records_that_are_not_a_positive_whole_number_in_range_are_an_error(string value) =>
        Assert.Contains("--records", Invalid("--records", value), StringComparison.Ordinal);

    [Fact]
    public void Negative_records_written_with_equals_are_an_error() =>
        Assert.Contains("--records", Invalid("--records=-5"), StringComparison.Ordinal);

    [Theory]
    [InlineData("--batch-size", "0")]
    [InlineData("--batch-size", "10001")]
    [InlineData("--concurrency", "0")]
    [InlineData("--rate", "0")]
    [InlineData("--rate", "-100")]
    [InlineData("--color-changes", "1.01")]
    [InlineData("--color-changes", "-1")]
    [InlineData("--embedded-port", "70000")]
    [InlineData("--verify-sample", "-1")]
    [InlineData("--settle-timeout", "0")]
    [InlineData("--warmup", "-1")]
    [InlineData("--warmup", "NaN")]
    [InlineData("--mode", "stream")]
    [InlineData("--target", "ftp://host/")]
    [InlineData("--target", "not a url")]
    [InlineData("--seed", "x")]
    public void Values_out_of_range_or_malformed_are_errors_that_name_the_option(string name, string value) =>
        Assert.Contains(name, Invalid(name, value), StringComparison.Ordinal);

    [Fact]
    public void An_unknown_scenario_is_an_error_that_names_the_known_one() =>
        Assert.Contains("'kontakt-2m'; the only one is kontakt-1m", Invalid("--scenario", "kontakt-2m"), StringComparison.Ordinal);

    // A number that parses but is no time span must be a usage error (exit code 2), not an exception.
    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e20")]
    public void A_settle_timeout_that_is_no_time_span_is_an_error(string value) =>
        Assert.Contains("--settle-timeout", Invalid("--settle-timeout", value), StringComparison.Ordinal);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0.5", 0.5)]
    [InlineData("10", 10)]
    public void Warmup_takes_seconds_and_zero_turns_it_off(string value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Valid("--warmup", value).WarmUp);

    [Fact]
    public void An_option_without_its_value_is_an_error() =>
        Assert.Contains("--records needs a value", Invalid("--mode", "batch", "--records"), StringComparison.Ordinal);

    [Fact]
    public void A_flag_given_a_value_is_an_error() =>
        Assert.Contains("--no-live", Invalid("--no-live=true"), StringComparison.Ordinal);

    [Fact]
    public void A_stray_positional_argument_is_an_error() =>
        Assert.Contains("batch", Invalid("batch"), StringComparison.Ordinal);

    [Fact]
    public void Color_changes_of_exactly_0_and_1_are_allowed()
    {
        Assert.Equal(0, Valid("--color-changes", "0").ColorChanges);
        Assert.Equal(1, Valid("--color-changes", "1").ColorChanges);
    }
}
