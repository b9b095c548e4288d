using System.ComponentModel.DataAnnotations;

namespace Kontakt.Core.Storage.Embedded;

/// <summary>
/// The private PostgreSQL cluster used when no <c>ConnectionStrings:Kontakt</c> is set.
/// Bound from the <c>Kontakt:Embedded</c> section.
/// </summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kontakt:Embedded";

    /// <summary>
    /// Where the cluster, its log and its password live. Default: <c>/var/lib/kontakt</c> when
    /// running as root, otherwise <c>~/.local/share/kontakt</c>. Data survives restarts.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>TCP port on 127.0.0.1.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 55432;

    /// <summary>Directory holding <c>initdb</c> and <c>pg_ctl</c>; searched for when empty.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>
    /// False only for throwaway test clusters: turns off fsync and synchronous commit, which
    /// makes them fast and makes a crash lose data.
    /// </summary>
    public bool Durable { get; set; } = true;

    /// <summary>PostgreSQL <c>shared_buffers</c>.</summary>
    public string SharedBuffers { get; set; } = "512MB";
}
