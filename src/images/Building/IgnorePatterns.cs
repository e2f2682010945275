using System.Text;
using System.Text.RegularExpressions;
using Skiff.Core.Errors;

namespace Skiff.Images.Building;

/// <summary>
/// A <c>.containerignore</c>/<c>.dockerignore</c>: one pattern a line (<c>#</c> comments, blank lines skipped), paths
/// relative to the context (a leading <c>/</c> and <c>./</c> dropped), <c>*</c>, <c>?</c> and <c>[...]</c> within one
/// component, <c>**</c> across any number of them, <c>!</c> re-including what an earlier pattern excluded. As docker's
/// matcher, a path is excluded when the last pattern matching it or one of its parent directories is not a <c>!</c> one.
/// </summary>
public sealed class IgnorePatterns
{
    private readonly List<(Regex Pattern, bool Exception)> patterns = [];

    private IgnorePatterns()
    {
    }

    public static IgnorePatterns None { get; } = new();

    /// <summary>Whether any <c>!</c> pattern exists: then an excluded directory may still hold included paths.</summary>
    public bool HasExceptions => patterns.Exists(p => p.Exception);

    public static IgnorePatterns Parse(string text)
    {
        var result = new IgnorePatterns();
        foreach (string raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            bool exception = line.StartsWith('!');
            if (exception)
            {
                line = line[1..].Trim();
            }

            string clean = Clean(line);
            if (clean.Length == 0)
            {
                continue;
            }

            result.patterns.Add((new Regex(ToRegex(clean, line), RegexOptions.CultureInvariant), exception));
        }

        return result;
    }

    /// <summary>Whether <paramref name="relativePath"/> (slash-separated, relative to the context) is left out of it.</summary>
    public bool Excluded(string relativePath)
    {
        string path = Clean(relativePath);
        if (path.Length == 0)
        {
            return false;
        }

        bool excluded = false;
        foreach ((Regex pattern, bool exception) in patterns)
        {
            if (exception == !excluded)
            {
                // Only a pattern of the other kind can change the answer.
                continue;
            }

            if (MatchesOrParentMatches(pattern, path))
            {
                excluded = !exception;
            }
        }

        return excluded;
    }

    private static bool MatchesOrParentMatches(Regex pattern, string path)
    {
        if (pattern.IsMatch(path))
        {
            return true;
        }

        for (int slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (pattern.IsMatch(path[..slash]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static string ToRegex(string pattern, string original)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        // "**/" matches no directory or any number of them.
                        i++;
                        regex.Append("(?:.*/)?");
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    int close = pattern.IndexOf(']', i + 2);
                    if (close < 0)
                    {
                        throw SkiffException.InvalidArgument($"invalid ignore pattern \"{original}\": syntax error in pattern", "close the character class with ]");
                    }

                    string set = pattern[(i + 1)..close];
                    regex.Append('[').Append(set.StartsWith('!') || set.StartsWith('^') ? "^" + Regex.Escape(set[1..]).Replace("\\-", "-", StringComparison.Ordinal) : Regex.Escape(set).Replace("\\-", "-", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}
