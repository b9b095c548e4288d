using System.Globalization;
using System.Text.Json;

namespace Kontakt.LoadTest.Reporting;

/// <summary>Writes <c>report.json</c>, <c>report.md</c> and <c>report.html</c>, and picks their default folder.</summary>
public static class ReportFiles
{
    public static async Task<IReadOnlyList<string>> WriteAsync(RunReport report, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "report.json");
        var markdown = Path.Combine(directory, "report.md");
        var html = Path.Combine(directory, "report.html");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, ReportJsonContext.Default.RunReport), cancellationToken);
        await File.WriteAllTextAsync(markdown, MarkdownReport.Render(report), cancellationToken);
        await File.WriteAllTextAsync(html, HtmlReport.Render(report), cancellationToken);
        return [json, markdown, html];
    }

    /// <summary><c>Kontakt.LoadTest/reports/&lt;UTC timestamp&gt;-&lt;mode&gt;/</c>, found from the build output so the working directory does not matter.</summary>
    public static string DefaultDirectory(DateTimeOffset startedAt, string mode)
    {
        var name = startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + mode;
        return Path.Combine(ProjectDirectory() ?? Directory.GetCurrentDirectory(), "reports", name);
    }

    private static string? ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kontakt.LoadTest.csproj")))
            {
                return directory.FullName;
            }
        }
        var fromWorkingDirectory = Path.Combine(Directory.GetCurrentDirectory(), "Kontakt.LoadTest");
        return File.Exists(Path.Combine(fromWorkingDirectory, "Kontakt.LoadTest.csproj")) ? fromWorkingDirectory : null;
    }
}
