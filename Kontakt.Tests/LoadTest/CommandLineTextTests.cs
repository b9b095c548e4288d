using Kontakt.LoadTest.Cli;
using Npgsql;

namespace Kontakt.Tests.LoadTest;

public sealed class CommandLineTextTests
{
    private const string Secret = "s3cr3t-Pa55";

    [Theory]
    [InlineData("Host=db;Username=kontakt;Password=" + Secret + ";Database=kontakt", "Host=db;Username=kontakt;Password=***;Database=kontakt")]
    [InlineData("Host=db;Username=kontakt;Password=" + Secret, "Host=db;Username=kontakt;Password=***")]
    [InlineData("Password=" + Secret + ";Host=db", "Password=***;Host=db")]
    [InlineData("Host=db; password = " + Secret + " ;Database=k", "Host=db; password = ***;Database=k")]
    [InlineData("Host=db;PASSWORD=" + Secret, "Host=db;PASSWORD=***")]
    public void Redact_blanks_the_password_of_a_connection_string(string connectionString, string redacted)
    {
        Assert.Equal(Secret, new NpgsqlConnectionStringBuilder(connectionString).Password?.Trim());
        Assert.Equal(redacted, CommandLineText.Redact(connectionString));
    }

    [Fact]
    public void Redact_leaves_text_without_a_password_alone()
    {
        const string text = "dotnet run -- --db Host=db;Username=kontakt --records 5";
        Assert.Equal(text, CommandLineText.Redact(text));
    }

    [Fact]
    public void Redact_blanks_a_password_inside_a_whole_process_command_line()
    {
        var redacted = CommandLineText.Redact("/usr/bin/dotnet Kontakt.LoadTest.dll --db Host=db;Password=" + Secret + ";Database=k --records 5");
        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
        Assert.EndsWith("--records 5", redacted, StringComparison.Ordinal);
    }

    // The process command line (report's ProcessCommandLine) is redacted as one string: a
    // connection string that starts with its password follows a space, not '^' or ';'.
    [Fact]
    public void Redact_blanks_a_leading_password_inside_a_whole_process_command_line()
    {
        var redacted = CommandLineText.Redact("/usr/bin/dotnet Kontakt.LoadTest.dll --db Password=" + Secret + ";Host=db --records 5");
        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;PWD=" + Secret)]
    [InlineData("Host=db;PSW=" + Secret)]
    public void Redact_blanks_the_password_under_the_keyword_synonyms_npgsql_accepts(string connectionString)
    {
        Assert.Equal(Secret, new NpgsqlConnectionStringBuilder(connectionString).Password);
        Assert.DoesNotContain(Secret, CommandLineText.Redact(connectionString), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_repeats_the_run_with_passwords_blanked()
    {
        var text = CommandLineText.Format(["--mode", "batch", "--db", "Host=db;Password=" + Secret]);
        Assert.Equal("dotnet run -c Release --project Kontakt.LoadTest -- --mode batch --db 'Host=db;Password=***'", text);
    }

    [Fact]
    public void Format_blanks_the_password_of_db_given_with_equals()
    {
        Assert.DoesNotContain(Secret, CommandLineText.Format(["--db=Host=db;Password=" + Secret]), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, CommandLineText.Format(["--db=Password=" + Secret + ";Host=db"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_quotes_arguments_a_shell_would_split_or_expand()
    {
        var text = CommandLineText.Format(["--report-dir", "/tmp/my reports", "--db", "it's"]);
        Assert.Equal("dotnet run -c Release --project Kontakt.LoadTest -- --report-dir '/tmp/my reports' --db 'it'\\''s'", text);
    }
}
