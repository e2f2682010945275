using System.Globalization;
using System.Text;

namespace Skiff.Cli.Commands.Generate;

/// <summary>
/// Command lines in a unit file as podman 4.3 writes them: each argument escaped for systemd (systemd.service(5),
/// "Command lines": '$' and '%' doubled, an argument with a blank or a quote put in C-style quotes, a backslash doubled
/// otherwise), and every argument that starts with '-' on a continuation line of its own.
/// </summary>
public static class SystemdCommandLine
{
    public static string Escape(string argument)
    {
        string escaped = argument.Replace("$", "$$", StringComparison.Ordinal).Replace("%", "%%", StringComparison.Ordinal);
        if (escaped.AsSpan().IndexOfAny(' ', '\t', '"') >= 0)
        {
            return Quote(escaped);
        }

        return escaped.Contains('\\', StringComparison.Ordinal) ? escaped.Replace("\\", "\\\\", StringComparison.Ordinal) : escaped;
    }

    /// <summary>The arguments joined by spaces, a " \" line break and a tab before each one that starts with '-'.</summary>
    public static string Format(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder(arguments[0]);
        foreach (string argument in arguments.Skip(1))
        {
            text.Append(argument.StartsWith('-') ? " \\\n\t" : " ").Append(argument);
        }

        return text.ToString();
    }

    /// <summary>Go's strconv.Quote, which podman uses: backslash escapes for '"', '\' and control characters; printable UTF-8 stays.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (Rune rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\a': text.Append("\\a"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\v': text.Append("\\v"); break;
                default:
                    if (Rune.IsControl(rune))
                    {
                        text.Append(rune.Value < 0x100
                            ? "\\x" + rune.Value.ToString("x2", CultureInfo.InvariantCulture)
                            : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(rune.ToString());
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
