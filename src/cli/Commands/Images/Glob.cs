namespace Skiff.Cli.Commands.Images;

/// <summary>Go's <c>path.Match</c> patterns (<c>*</c> and <c>?</c> stop at <c>/</c>, <c>[a-z]</c> classes), which docker's reference filter uses.</summary>
public static class Glob
{
    public static bool IsMatch(string pattern, string text) => Match(pattern, 0, text, 0);

    private static bool Match(string pattern, int p, string text, int t)
    {
        while (p < pattern.Length)
        {
            char c = pattern[p];
            switch (c)
            {
                case '*':
                    while (p < pattern.Length && pattern[p] == '*')
                    {
                        p++;
                    }

                    for (int i = t; i <= text.Length; i++)
                    {
                        if (Match(pattern, p, text, i))
                        {
                            return true;
                        }

                        if (i < text.Length && text[i] == '/')
                        {
                            return false;
                        }
                    }

                    return false;
                case '?':
                    if (t >= text.Length || text[t] == '/')
                    {
                        return false;
                    }

                    p++;
                    t++;
                    break;
                case '[':
                    int close = pattern.IndexOf(']', p + 1);
                    if (close < 0 || t >= text.Length)
                    {
                        return false;
                    }

                    string set = pattern[(p + 1)..close];
                    bool negate = set.StartsWith('^');
                    if (negate)
                    {
                        set = set[1..];
                    }

                    bool found = false;
                    for (int i = 0; i < set.Length; i++)
                    {
                        if (i + 2 < set.Length && set[i + 1] == '-')
                        {
                            found |= text[t] >= set[i] && text[t] <= set[i + 2];
                            i += 2;
                        }
                        else
                        {
                            found |= text[t] == set[i];
                        }
                    }

                    if (found == negate)
                    {
                        return false;
                    }

                    p = close + 1;
                    t++;
                    break;
                case '\\' when p + 1 < pattern.Length:
                    if (t >= text.Length || text[t] != pattern[p + 1])
                    {
                        return false;
                    }

                    p += 2;
                    t++;
                    break;
                default:
                    if (t >= text.Length || text[t] != c)
                    {
                        return false;
                    }

                    p++;
                    t++;
                    break;
            }
        }

        return t == text.Length;
    }
}
