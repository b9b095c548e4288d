using System.Globalization;
using Kontakt.Api.Hosting;
using Kontakt.Core.Security;
using Kontakt.Core.Storage.Embedded;
using Npgsql;

namespace Kontakt.Api.Cli;

/// <summary>
/// <c>dotnet Kontakt.Api.dll keys …</c>: API keys from the command line, on the service's own
/// configuration and database. Results go to standard output, logs to standard error.
/// Exit codes: 0 done, 1 failed, 2 usage error.
/// </summary>
internal static partial class KeysCommand
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    /// <summary>Whether the command line is a keys command rather than the service.</summary>
    public static bool Handles(string[] args) => args is ["keys", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var (arguments, error) = KeysArguments.Parse(args);
        if (arguments is null)
        {
            await errors.WriteLineAsync(error);
            await errors.WriteLineAsync(KeysArguments.Usage);
            return UsageError;
        }

        // The same configuration sources as the service: appsettings, environment, command line.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = arguments.Configuration });
        using var loggers = LoggerFactory.Create(logging => logging
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = loggers.CreateLogger("Kontakt.Keys");
        var embedded = builder.Configuration.GetSection(EmbeddedPostgresOptions.Section).Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        var database = DatabaseSettings.From(builder.Configuration, embedded, loggers.CreateLogger("Kontakt.Embedded"));
        try
        {
            if (database.Embedded is { } cluster)
            {
                await cluster.StartAsync(CancellationToken.None);
                await cluster.EnsureDatabaseAsync(DatabaseSettings.EmbeddedDatabaseName, CancellationToken.None);
            }
            await SchemaMigrationService.MigrateAndGrantAsync(database, logger, CancellationToken.None);
            await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            return await RunAsync(arguments, new ApiKeyStore(dataSource), output, errors);
        }
        catch (NpgsqlException failure)
        {
            LogFailed(logger, failure.Message);
            return Failed;
        }
        catch (InvalidOperationException failure)
        {
            LogFailed(logger, failure.Message);
            return Failed;
        }
        finally
        {
            // Stops the embedded cluster only if this command started it.
            if (database.Embedded is { } cluster)
            {
                await cluster.StopAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<int> RunAsync(KeysArguments arguments, ApiKeyStore keys, TextWriter output, TextWriter errors)
    {
        switch (arguments.Action)
        {
            case KeysArguments.Create:
                try
                {
                    var created = await keys.CreateAsync(arguments.Name!, arguments.Role!, CancellationToken.None);
                    await output.WriteLineAsync($"Created key '{created.Name}' with role {created.Role}. It is shown only now; store it:");
                    await output.WriteLineAsync(created.Key);
                    return Succeeded;
                }
                catch (ApiKeyNameTakenException)
                {
                    await errors.WriteLineAsync($"A key named '{arguments.Name}' exists and is not revoked. Revoke it first, or choose another name.");
                    return Failed;
                }
            case KeysArguments.List:
                await WriteTableAsync(await keys.ListAsync(CancellationToken.None), output);
                return Succeeded;
            default:
                if (await keys.RevokeAsync(arguments.Name!, CancellationToken.None))
                {
                    await output.WriteLineAsync($"Revoked key '{arguments.Name}'.");
                    return Succeeded;
                }
                await errors.WriteLineAsync($"No key named '{arguments.Name}' that is not revoked.");
                return Failed;
        }
    }

    private static async Task WriteTableAsync(IReadOnlyList<ApiKeyInfo> keys, TextWriter output)
    {
        string[] header = ["NAME", "ROLE", "CREATED", "LAST USED", "REVOKED"];
        var rows = keys.Select(k => new[] { k.Name, k.Role, Time(k.CreatedAt), Time(k.LastUsedAt), Time(k.RevokedAt) }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    [LoggerMessage(Level = LogLevel.Error, Message = "The keys command failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
