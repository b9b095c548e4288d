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

    /// <summary>
    /// PostgreSQL <c>shared_buffers</c>, written into the cluster's <c>postgresql.conf</c> when it is
    /// created. Default: see <see cref="DefaultSharedBuffers"/>.
    /// </summary>
    public string? SharedBuffers { get; set; }

    /// <summary>
    /// A quarter of <paramref name="availableMemoryBytes"/> (the memory this process may use: the
    /// machine's, or a container's limit), between 128 MB and 8 GB; 512 MB when it is unknown.
    /// The indexes on random patient IDs and identity keys are touched at random on every insert, so
    /// once they outgrow the buffers most inserts read a page first: with 512 MB a database of
    /// 14–16M records ingested 0.83× a fresh one's rate, with 4 GB 0.99× (docs/benchmarks.md).
    /// </summary>
    public static string DefaultSharedBuffers(long availableMemoryBytes)
    {
        const long megabyte = 1024 * 1024;
        if (availableMemoryBytes <= 0)
        {
            return "512MB";
        }
        var quarter = availableMemoryBytes / 4 / megabyte;
        return $"{Math.Clamp(quarter, 128, 8 * 1024)}MB";
    }
}
