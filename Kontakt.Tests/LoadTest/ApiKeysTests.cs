using Kontakt.Core.Security;
using Kontakt.LoadTest.Cli;
using Kontakt.LoadTest.Load;

namespace Kontakt.Tests.LoadTest;

public sealed class ApiKeysTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "kontakt-loadtest-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static LoadTestOptions Parse(params string[] args) => OptionsParser.Parse(args).Options!;

    private void WriteKeyFile(string role, string key)
    {
        Directory.CreateDirectory(EmbeddedKeys.DirectoryOf(_dataDirectory));
        File.WriteAllText(EmbeddedKeys.FileOf(_dataDirectory, role), key + "\n");
    }

    [Fact]
    public void The_option_wins_over_the_environment_which_wins_over_the_embedded_files()
    {
        WriteKeyFile(KontaktRoles.Ingest, "kontakt_file-ingest");
        WriteKeyFile(KontaktRoles.Analyst, "kontakt_file-analyst");
        var environment = new Dictionary<string, string> { [ApiKeys.IngestVariable] = "kontakt_env-ingest" };

        Assert.Equal(new ApiKeys("kontakt_option", "kontakt_file-analyst"),
            ApiKeys.Resolve(Parse("--api-key", "kontakt_option", "--embedded-data-dir", _dataDirectory), environment.GetValueOrDefault));
        Assert.Equal(new ApiKeys("kontakt_env-ingest", "kontakt_file-analyst"),
            ApiKeys.Resolve(Parse("--embedded-data-dir", _dataDirectory), environment.GetValueOrDefault));
        Assert.Equal(new ApiKeys("kontakt_file-ingest", "kontakt_file-analyst"),
            ApiKeys.Resolve(Parse("--embedded-data-dir", _dataDirectory), _ => null));
    }

    [Fact]
    public void With_an_external_database_the_embedded_files_are_not_read_and_the_analyst_key_defaults_to_the_ingest_key()
    {
        WriteKeyFile(KontaktRoles.Ingest, "kontakt_file-ingest");
        Assert.Equal(new ApiKeys(null, null), ApiKeys.Resolve(Parse("--db", "Host=x", "--embedded-data-dir", _dataDirectory), _ => null));
        Assert.Equal(new ApiKeys("kontakt_k", "kontakt_k"), ApiKeys.Resolve(Parse("--db", "Host=x", "--api-key", "kontakt_k"), _ => null));
    }

    [Fact]
    public void Keys_are_blanked_in_the_reported_command_line()
    {
        var line = CommandLineText.Format(["--api-key", "kontakt_3q2-7wEzTb1pY9mVxHn4cKdLs0aRfGuJ6iOeW8tZyBk", "--analyst-api-key=kontakt_abc_DEF-123"]);
        Assert.DoesNotContain("3q2-7wEz", line, StringComparison.Ordinal);
        Assert.DoesNotContain("abc_DEF", line, StringComparison.Ordinal);
        Assert.Contains("--api-key 'kontakt_***'", line, StringComparison.Ordinal);
    }
}
