using System.ComponentModel.DataAnnotations;

namespace Kontakt.Api.Security;

/// <summary>Access control settings, bound from <c>Kontakt:Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Kontakt:Security";

    /// <summary>PHI reads each key (or token subject) may make per minute; more are answered 429.</summary>
    [Range(1, 1_000_000)]
    public int PhiReadsPerMinute { get; set; } = 600;

    /// <summary>Whether <c>/metrics</c> needs an admin key. Off by default: metrics carry no PHI and scrapers rarely send keys.</summary>
    public bool MetricsRequireKey { get; set; }
}
