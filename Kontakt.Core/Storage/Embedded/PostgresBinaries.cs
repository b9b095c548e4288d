namespace Kontakt.Core.Storage.Embedded;

/// <summary>Finds the PostgreSQL server programs on this machine.</summary>
public static class PostgresBinaries
{
    /// <summary>What to tell a user whose machine has no PostgreSQL server binaries.</summary>
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin, " +
        "/usr/local/pgsql/bin or on PATH. Install them (Debian/Ubuntu: apt-get install -y postgresql), " +
        "set Kontakt:Embedded:BinDirectory, or set ConnectionStrings:Kontakt to use an existing server.";

    /// <summary>Returns the directory holding <c>initdb</c> and <c>pg_ctl</c>, or throws with <see cref="InstallHint"/>.</summary>
    public static string Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServerPrograms(configured)
                ? configured
                : throw new InvalidOperationException($"Kontakt:Embedded:BinDirectory '{configured}' holds no initdb and pg_ctl. " + InstallHint);
        }

        foreach (var candidate in Candidates())
        {
            if (HasServerPrograms(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(InstallHint);
    }

    private static IEnumerable<string> Candidates()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var versions = Directory.GetDirectories(debianRoot)
                .Select(path => (path, version: int.TryParse(Path.GetFileName(path), out var v) ? v : -1))
                .Where(entry => entry.version >= 0)
                .OrderByDescending(entry => entry.version);
            foreach (var (path, _) in versions)
            {
                yield return Path.Combine(path, "bin");
            }
        }
        yield return "/usr/local/pgsql/bin";
        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return directory;
        }
    }

    private static bool HasServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));
}
