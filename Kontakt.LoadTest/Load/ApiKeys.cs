using Kontakt.Core.Security;
using Kontakt.Core.Storage.Embedded;
using Kontakt.LoadTest.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kontakt.LoadTest.Load;

/// <summary>The keys a run sends: one to write records (ingest), one to read them back through the API (analyst).</summary>
/// <param name="Ingest">For POST /v1/records; null sends none.</param>
/// <param name="Analyst">For GET /v1/patients in the visibility checks; null sends none.</param>
public sealed record ApiKeys(string? Ingest, string? Analyst)
{
    public const string Header = "X-Api-Key";
    public const string IngestVariable = "KONTAKT_API_KEY";
    public const string AnalystVariable = "KONTAKT_ANALYST_API_KEY";

    /// <summary>
    /// <c>--api-key</c>, else <c>$KONTAKT_API_KEY</c>, else, when the run verifies against the
    /// embedded default (no <c>--db</c>), the key file the service wrote there; the same for the
    /// analyst key, which falls back to the ingest key.
    /// </summary>
    public static ApiKeys Resolve(LoadTestOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var ingest = options.ApiKey ?? NonEmpty(environment(IngestVariable)) ?? EmbeddedKey(options, KontaktRoles.Ingest);
        var analyst = options.AnalystApiKey ?? NonEmpty(environment(AnalystVariable)) ?? EmbeddedKey(options, KontaktRoles.Analyst) ?? ingest;
        return new ApiKeys(ingest, analyst);
    }

    private static string? EmbeddedKey(LoadTestOptions options, string role)
    {
        if (options.Database is not null)
        {
            return null;
        }
        var root = new PostgresCluster(new EmbeddedPostgresOptions { DataDirectory = options.EmbeddedDataDirectory }, NullLogger.Instance).Root;
        try
        {
            return NonEmpty(EmbeddedKeys.Read(EmbeddedKeys.FileOf(root, role)));
        }
        catch (UnauthorizedAccessException)
        {
            // The key files are the service user's alone; another user passes --api-key.
            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
