using System.Text.RegularExpressions;

namespace Kontakt.LoadTest.Cli;

/// <summary>The command line as a copy-pasteable string for the reports, with database passwords blanked.</summary>
public static partial class CommandLineText
{
    public const string DotnetRunPrefix = "dotnet run -c Release --project Kontakt.LoadTest --";

    /// <summary>How to repeat this run from the repository root.</summary>
    public static string Format(IEnumerable<string> arguments) =>
        string.Join(' ', [DotnetRunPrefix, .. arguments.Select(a => Quote(Redact(a)))]);

    /// <summary>
    /// Blanks the password of a connection string wherever it appears: as an argument, after
    /// <c>--db=</c>, inside a whole command line, under any keyword Npgsql accepts for it
    /// (<c>Password</c>, <c>PWD</c>, <c>PSW</c>), quoted or not; and every API key (<c>kontakt_…</c>).
    /// </summary>
    public static string Redact(string text) => ApiKeyPattern().Replace(PasswordPattern().Replace(text, "$1***"), "kontakt_***");

    private static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal)))
        {
            return argument;
        }
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    // keyword = value, where value is '...' or "..." (';' allowed inside) or runs to the next ';'
    // (spaces included: a password may hold spaces; blanking too much is safe, too little is not).
    [GeneratedRegex("""((?:^|[;\s=])\s*(?:Password|PWD|PSW)\s*=\s*)(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|[^;]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordPattern();

    [GeneratedRegex("kontakt_[A-Za-z0-9_-]+", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKeyPattern();
}
