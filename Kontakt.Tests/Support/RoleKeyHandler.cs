using Kontakt.Core.Security;

namespace Kontakt.Tests.Support;

/// <summary>
/// Sends the key of the role a path needs (records, imports, FHIR writes → ingest; patients, snapshots, colors, FHIR reads →
/// analyst; audit → auditor; admin and metrics → admin), unless the request carries its own
/// X-Api-Key or Authorization header.
/// </summary>
public sealed class RoleKeyHandler(IReadOnlyDictionary<string, string> keys) : DelegatingHandler
{
    public const string Header = "X-Api-Key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.Contains(Header) && request.Headers.Authorization is null
            && RoleFor(request.Method, request.RequestUri?.AbsolutePath ?? "") is { } role)
        {
            request.Headers.Add(Header, keys[role]);
        }
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>FHIR paths take the ingest key to write and the analyst key to read ($import and its status: ingest); other paths as <see cref="RoleFor(string)"/>.</summary>
    public static string? RoleFor(HttpMethod method, string path) =>
        path.StartsWith("/fhir", StringComparison.Ordinal)
            ? method == HttpMethod.Get && !path.StartsWith("/fhir/$import", StringComparison.Ordinal) ? KontaktRoles.Analyst : KontaktRoles.Ingest
            : RoleFor(path);

    public static string? RoleFor(string path) => path switch
    {
        _ when path.StartsWith("/v1/records", StringComparison.Ordinal) || path.StartsWith("/v1/imports", StringComparison.Ordinal) => KontaktRoles.Ingest,
        _ when path.StartsWith("/v1/patients", StringComparison.Ordinal)
               || path.StartsWith("/v1/snapshots", StringComparison.Ordinal)
               || path.StartsWith("/v1/colors", StringComparison.Ordinal) => KontaktRoles.Analyst,
        _ when path.StartsWith("/v1/audit", StringComparison.Ordinal) => KontaktRoles.Auditor,
        _ when path.StartsWith("/v1/admin", StringComparison.Ordinal) || path == "/metrics" => KontaktRoles.Admin,
        _ => null,
    };
}
