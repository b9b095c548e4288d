namespace Kontakt.Tests.Support;

/// <summary>Reads the Synthea patients.csv kept in Data/synthea (see its SOURCES.md), copied beside the test assembly.</summary>
public static class SyntheaCsv
{
    public sealed record Person(string Name, string BirthDate);

    public static IReadOnlyList<Person> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "synthea", "patients.csv");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int first = Array.IndexOf(header, "FIRST"), last = Array.IndexOf(header, "LAST"), birth = Array.IndexOf(header, "BIRTHDATE");
        // The file has no quoted fields (checked: not one double quote in it), so a plain split is exact.
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(f => new Person(f[first] + " " + f[last], f[birth]))
            .ToList();
    }
}
