using Kontakt.Core.Records;
using Kontakt.Core.Temporal;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontakt.Api.Endpoints;

/// <summary>The <c>asOf</c> query parameter and the <c>Kontakt-As-Of</c> response header.</summary>
internal static class AsOf
{
    public const string Header = "Kontakt-As-Of";

    public const string ParameterDescription =
        "System time (ISO 8601 with offset, e.g. 2026-11-22T10:03:00Z; microsecond precision). " +
        "Later than the stable horizon, or absent: answered as of the horizon. The time used is in the Kontakt-As-Of header.";

    /// <summary>Parses the optional query value; a present but unparseable value is a 400.</summary>
    public static bool TryParse(string? text, out DateTimeOffset? asOf, out ProblemHttpResult? problem)
    {
        asOf = null;
        problem = null;
        if (text is null)
        {
            return true;
        }
        if (SystemTime.TryParse(text, out var parsed))
        {
            asOf = parsed;
            return true;
        }
        problem = Problems.Validation([new FieldError("asOf",
            "must be an ISO 8601 date-time with a UTC offset or Z, such as 2026-11-22T10:03:00Z or 2026-11-22T11:03:00.250+01:00.")]);
        return false;
    }

    /// <summary>States the time an answer was computed for.</summary>
    public static void Stamp(HttpResponse response, DateTimeOffset effective) =>
        response.Headers[Header] = SystemTime.Format(effective);
}
