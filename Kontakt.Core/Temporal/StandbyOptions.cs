using System.ComponentModel.DataAnnotations;

namespace Kontakt.Core.Temporal;

/// <summary>How the service watches its standby (<c>ConnectionStrings:KontaktReadOnly</c>). Bound from <c>Kontakt:Standby</c>.</summary>
public sealed class StandbyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kontakt:Standby";

    /// <summary>
    /// How often the standby is asked for its replay lag. A standby found unreachable (by a probe or a read) gets
    /// public reads again at the first probe that reaches it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);
}
