using System.Text;
using Skiff.Core.Errors;

namespace Skiff.Images.Building;

/// <summary>
/// Docker's word processing for the instructions that substitute variables (FROM, COPY, ADD, ENV, ARG, LABEL,
/// EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL): <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>,
/// <c>${VAR:+alternative}</c> (and their forms without the colon), single quotes literal, double quotes
/// substituting, the escape character keeping the next character as it is. RUN, CMD and ENTRYPOINT are left to the shell.
/// </summary>
public sealed class WordExpander(Func<string, string?> lookup, char escape = '\\')
{
    /// <summary>The whole text as one word (quotes removed, whitespace kept).</summary>
    public string Word(string text) => Process(text, split: false)[0];

    /// <summary>The text split into words at whitespace outside quotes (COPY sources, EXPOSE ports, ENV pairs).</summary>
    public IReadOnlyList<string> Words(string text) => Process(text, split: true);

    private List<string> Process(string text, bool split)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (split && c is ' ' or '\t' or '\n')
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                i++;
                continue;
            }

            inWord = true;
            if (c == escape)
            {
                if (i + 1 < text.Length)
                {
                    current.Append(text[i + 1]);
                    i += 2;
                }
                else
                {
                    current.Append(c);
                    i++;
                }
            }
            else if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw SkiffException.InvalidArgument($"unexpected end of statement while looking for matching single-quote: {text}");
                }

                current.Append(text, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw SkiffException.InvalidArgument($"unexpected end of statement while looking for matching double-quote: {text}");
                    }

                    char d = text[i];
                    if (d == '"')
                    {
                        i++;
                        break;
                    }

                    if (d == escape && i + 1 < text.Length && text[i + 1] is '"' or '$' || (d == escape && i + 1 < text.Length && text[i + 1] == escape))
                    {
                        current.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (d == '$')
                    {
                        i = Variable(text, i, current);
                    }
                    else
                    {
                        current.Append(d);
                        i++;
                    }
                }
            }
            else if (c == '$')
            {
                i = Variable(text, i, current);
            }
            else
            {
                current.Append(c);
                i++;
            }
        }

        if (inWord || !split)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Substitutes the variable at <paramref name="at"/> (a '$'), returning the index after it.</summary>
    private int Variable(string text, int at, StringBuilder output)
    {
        int i = at + 1;
        if (i >= text.Length)
        {
            output.Append('$');
            return i;
        }

        if (text[i] == '{')
        {
            int nameStart = i + 1;
            int j = nameStart;
            while (j < text.Length && IsNameChar(text[j]))
            {
                j++;
            }

            string name = text[nameStart..j];
            if (name.Length == 0)
            {
                throw SkiffException.InvalidArgument($"missing variable name in ${{...}}: {text}");
            }

            if (j < text.Length && text[j] == '}')
            {
                output.Append(lookup(name) ?? string.Empty);
                return j + 1;
            }

            bool colon = j < text.Length && text[j] == ':';
            int op = colon ? j + 1 : j;
            if (op >= text.Length || text[op] is not ('-' or '+'))
            {
                throw SkiffException.InvalidArgument($"unsupported modifier in ${{{name}...}}: {text}", "docker's forms are ${VAR}, ${VAR:-default} and ${VAR:+alternative}");
            }

            int close = MatchingBrace(text, op + 1);
            if (close < 0)
            {
                throw SkiffException.InvalidArgument($"missing '}}' in ${{{name}...}}: {text}");
            }

            string word = new WordExpander(lookup, escape).Word(text[(op + 1)..close]);
            string? value = lookup(name);
            bool set = colon ? !string.IsNullOrEmpty(value) : value is not null;
            output.Append(text[op] == '-' ? (set ? value : word) : (set ? word : string.Empty));
            return close + 1;
        }

        int end = i;
        while (end < text.Length && IsNameChar(text[end]))
        {
            end++;
        }

        if (end == i)
        {
            output.Append('$');
            return i;
        }

        output.Append(lookup(text[i..end]) ?? string.Empty);
        return end;
    }

    private int MatchingBrace(string text, int from)
    {
        int depth = 0;
        for (int i = from; i < text.Length; i++)
        {
            if (text[i] == escape)
            {
                i++;
            }
            else if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}')
            {
                if (depth == 0)
                {
                    return i;
                }

                depth--;
            }
        }

        return -1;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
