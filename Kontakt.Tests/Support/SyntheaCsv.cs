namespace Kontakt.Tests.Support;

/// <summary>Reads the shared Synthea patients.csv (kept beside the repository in ../shared).</summary>
public static class SyntheaCsv
{
    public sealed record Person(string Name, string BirthDate);

    public static IReadOnlyList<Person> Load()
    {
        var path = Locate();
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int first = Array.IndexOf(header, "FIRST"), last = Array.IndexOf(header, "LAST"), birth = Array.IndexOf(header, "BIRTHDATE");
        // The file has no quoted fields (checked: not one double quote in it), so a plain split is exact.
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(f => new Person(f[first] + " " + f[last], f[birth]))
            .ToList();
    }

    private static string Locate()
    {
        const string relative = "data/synthea/csv/patients.csv";
        if (Environment.GetEnvironmentVariable("KONTAKT_SHARED_DIR") is { Length: > 0 } shared)
        {
            var configured = Path.Combine(shared, relative);
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"KONTAKT_SHARED_DIR is set but holds no {relative}.", configured);
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "synthea", "csv", "patients.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("shared/data/synthea/csv/patients.csv was not found beside the repository; set KONTAKT_SHARED_DIR.");
    }
}
