using System.Text;
using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman 4.3's <c>--env-merge KEY=VALUE</c>: VALUE's <c>$VAR</c> and <c>${VAR}</c> (also <c>${VAR:-default}</c> and
/// <c>${VAR:+alternative}</c>, as a Dockerfile word) are the image's variables, and KEY is changed only when the image has
/// it: podman adds no new variable this way (-e does that). Each merge sees the ones before it; -e and --env-file still win.
/// </summary>
public static class EnvMerge
{
    public static IReadOnlyList<string> Apply(IReadOnlyList<string> image, IReadOnlyList<string> merges)
    {
        if (merges.Count == 0)
        {
            return image;
        }

        var names = image.Select(v => v.Split('=', 2)[0]).ToList();
        var values = image.Select(v => v.Split('=', 2) is [_, string value] ? value : string.Empty).ToList();
        foreach (string merge in merges)
        {
            string[] parts = merge.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw SkiffException.InvalidArgument($"invalid --env-merge \"{merge}\": it takes NAME=VALUE", "e.g. --env-merge 'PATH=/opt/bin:${PATH}'");
            }

            int index = names.LastIndexOf(parts[0]);
            string expanded = Expand(parts[1], name => names.LastIndexOf(name) is int at and >= 0 ? values[at] : null, merge);
            if (index >= 0)
            {
                values[index] = expanded;
            }
        }

        return [.. names.Select((name, i) => name + "=" + values[i])];
    }

    private static string Expand(string word, Func<string, string?> lookup, string merge)
    {
        var result = new StringBuilder();
        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            if (c == '\\' && i + 1 < word.Length && word[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }

            if (c != '$' || i + 1 == word.Length)
            {
                result.Append(c);
                continue;
            }

            if (word[i + 1] == '{')
            {
                int close = word.IndexOf('}', i + 2);
                if (close < 0)
                {
                    throw SkiffException.InvalidArgument($"invalid --env-merge \"{merge}\": missing '}}'");
                }

                string inner = word[(i + 2)..close];
                int colon = inner.IndexOf(':');
                string name = colon < 0 ? inner : inner[..colon];
                string? value = lookup(name);
                if (colon >= 0 && colon + 1 < inner.Length && inner[colon + 1] is '-' or '+')
                {
                    string alternative = inner[(colon + 2)..];
                    value = inner[colon + 1] == '-' ? (string.IsNullOrEmpty(value) ? alternative : value) : (string.IsNullOrEmpty(value) ? string.Empty : alternative);
                }
                else if (colon >= 0)
                {
                    throw SkiffException.InvalidArgument($"invalid --env-merge \"{merge}\": unsupported modifier in ${{{inner}}}", "use ${NAME}, ${NAME:-DEFAULT} or ${NAME:+ALTERNATIVE}");
                }

                result.Append(value);
                i = close;
                continue;
            }

            int end = i + 1;
            while (end < word.Length && (char.IsAsciiLetterOrDigit(word[end]) || word[end] == '_'))
            {
                end++;
            }

            if (end == i + 1)
            {
                result.Append(c);
                continue;
            }

            result.Append(lookup(word[(i + 1)..end]));
            i = end - 1;
        }

        return result.ToString();
    }
}
