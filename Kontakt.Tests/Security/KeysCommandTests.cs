using System.Diagnostics;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Security;

/// <summary><c>dotnet Kontakt.Api.dll keys …</c>, run as the real built program against the test database.</summary>
public sealed class KeysCommandTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private sealed record Run(int ExitCode, string Output, string Errors);

    private async Task<Run> KeysAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kontakt.Api.dll"));
        start.ArgumentList.Add("keys");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ConnectionStrings__Kontakt"] = database.ConnectionString;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Run(process.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task Create_prints_a_working_key_on_the_last_line_list_never_shows_it_and_revoke_ends_it()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var created = await KeysAsync("create", "--role", "analyst", "--name", name);
        Assert.True(created.ExitCode == 0, created.Errors);
        var key = created.Output.TrimEnd().Split('\n')[^1];
        Assert.Matches("^kontakt_[A-Za-z0-9_-]{43}$", key);
        var store = new ApiKeyStore(database.DataSource);
        Assert.Equal(KontaktRoles.Analyst, (await store.FindAsync(key, default))?.Role);
        Assert.DoesNotContain(key, created.Errors, StringComparison.Ordinal);

        var taken = await KeysAsync("create", "--role", "admin", "--name", name);
        Assert.Equal(1, taken.ExitCode);

        var listed = await KeysAsync("list");
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(name, listed.Output, StringComparison.Ordinal);
        Assert.Contains("LAST USED", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("kontakt_", listed.Output, StringComparison.Ordinal);

        var revoked = await KeysAsync("revoke", name);
        Assert.True(revoked.ExitCode == 0, revoked.Errors);
        Assert.Null(await store.FindAsync(key, default));
        Assert.Equal(1, (await KeysAsync("revoke", name)).ExitCode);
    }

    [Theory]
    [InlineData("create", "--role", "root", "--name", "x")]
    [InlineData("create", "--role", "admin")]
    [InlineData("revoke")]
    [InlineData("rotate")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var run = await KeysAsync(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage:", run.Errors, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }
}
