using System.Text;

namespace Kontakt.Core.Records;

/// <summary>The one whitespace rule of names and colors: trimmed, every run of whitespace one space.</summary>
internal static class WhitespaceRuns
{
    public static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
