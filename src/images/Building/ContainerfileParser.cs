using System.Text;
using System.Text.Json;
using Skiff.Core.Errors;

namespace Skiff.Images.Building;

/// <summary>
/// Reads a Containerfile (Dockerfile) as docker's and buildah's parser do: parser directives at the very top
/// (<c># escape=`</c>; <c># syntax=</c> is read and ignored), comment lines dropped (also inside a continuation),
/// a line ending in the escape character continued on the next, keywords case-insensitive, and leading
/// <c>--flag=value</c> words split off. Variables are substituted later, per instruction, by <see cref="WordExpander"/>.
/// </summary>
public static class ContainerfileParser
{
    private static readonly HashSet<string> HeredocInstructions = new(StringComparer.Ordinal) { "RUN", "COPY", "ADD" };

    public static Containerfile Parse(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        char escape = '\\';
        int index = 0;

        // Directives: "# key=value" lines before anything else; the first other line ends them.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (; index < lines.Length; index++)
        {
            if (!TryDirective(lines[index], out string key, out string value) || !seen.Add(key))
            {
                break;
            }

            if (key == "escape")
            {
                if (value is not ("\\" or "`"))
                {
                    throw SkiffException.InvalidArgument($"invalid escape token '{value}' does not match ` or \\", "write '# escape=`' or '# escape=\\' as the first line");
                }

                escape = value[0];
            }
        }

        var instructions = new List<BuildInstruction>();
        var current = new StringBuilder();
        int start = 0;
        for (; index < lines.Length; index++)
        {
            string line = lines[index];
            string trimmed = line.TrimStart(' ', '\t');
            if (trimmed.StartsWith('#'))
            {
                continue;
            }

            if (current.Length == 0)
            {
                if (trimmed.Length == 0)
                {
                    continue;
                }

                start = index + 1;
            }
            else if (trimmed.Length == 0)
            {
                // An empty line inside a continuation is skipped, as docker does (with a warning there).
                continue;
            }

            string body = line.TrimEnd(' ', '\t');
            if (body.EndsWith(escape))
            {
                current.Append(current.Length == 0 ? body.TrimStart(' ', '\t')[..^1] : body[..^1]);
                continue;
            }

            current.Append(current.Length == 0 ? body.TrimStart(' ', '\t') : body);
            instructions.Add(Instruction(current.ToString(), start));
            current.Clear();
        }

        if (current.Length > 0)
        {
            instructions.Add(Instruction(current.ToString(), start));
        }

        return new Containerfile(instructions, escape);
    }

    /// <summary>A JSON array of strings (the exec form), or null for anything else (then the shell form applies).</summary>
    public static IReadOnlyList<string>? TryJsonArray(string arguments)
    {
        string text = arguments.Trim();
        if (!text.StartsWith('[') || !text.EndsWith(']'))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                return null;
            }

            return document.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryDirective(string line, out string key, out string value)
    {
        key = value = string.Empty;
        string trimmed = line.Trim();
        if (!trimmed.StartsWith('#'))
        {
            return false;
        }

        string rest = trimmed[1..].Trim();
        int equals = rest.IndexOf('=');
        if (equals <= 0)
        {
            return false;
        }

        key = rest[..equals].Trim().ToLowerInvariant();
        value = rest[(equals + 1)..].Trim();
        return key is "escape" or "syntax" && !key.Contains(' ');
    }

    private static BuildInstruction Instruction(string text, int line)
    {
        int space = text.IndexOfAny([' ', '\t']);
        string keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
        string rest = space < 0 ? string.Empty : text[(space + 1)..].TrimStart(' ', '\t');
        var flags = new List<KeyValuePair<string, string?>>();
        while (rest.StartsWith("--", StringComparison.Ordinal) && keyword is not ("ENV" or "LABEL" or "ARG" or "CMD" or "ENTRYPOINT" or "SHELL"))
        {
            int end = rest.IndexOfAny([' ', '\t']);
            string word = end < 0 ? rest : rest[..end];
            int equals = word.IndexOf('=');
            flags.Add(equals < 0 ? new(word[2..], null) : new(word[2..equals], word[(equals + 1)..]));
            rest = end < 0 ? string.Empty : rest[(end + 1)..].TrimStart(' ', '\t');
        }

        if (HeredocInstructions.Contains(keyword) && HasHeredoc(rest))
        {
            throw SkiffException.InvalidArgument(
                $"line {line}: heredocs (<<EOF) are not supported: {text}",
                "write the file into the build context and COPY it, or use a RUN with echo or printf");
        }

        return new BuildInstruction(keyword, flags, rest, text, line);
    }

    /// <summary>A heredoc marker: &lt;&lt; (or &lt;&lt;-) then a word, quoted or not, outside quotes.</summary>
    private static bool HasHeredoc(string arguments)
    {
        char quote = '\0';
        for (int i = 0; i + 2 < arguments.Length; i++)
        {
            char c = arguments[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
                continue;
            }

            if (c == '<' && arguments[i + 1] == '<' && (i == 0 || arguments[i - 1] != '<'))
            {
                int j = i + 2;
                if (j < arguments.Length && arguments[j] == '-')
                {
                    j++;
                }

                if (j < arguments.Length && arguments[j] is '"' or '\'')
                {
                    j++;
                }

                if (j < arguments.Length && (char.IsLetter(arguments[j]) || arguments[j] == '_'))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
