using System.Globalization;
using System.Text;

namespace Skiff.Cli.Output.Templates;

/// <summary>
/// Splits a Go text/template into tokens: text outside <c>{{ }}</c>, and inside actions the words Go
/// templates use (fields, variables, literals, pipes, parentheses, <c>:=</c>). Handles <c>{{-</c>/<c>-}}</c>
/// whitespace trimming and <c>{{/* comments */}}</c>.
/// </summary>
public sealed class TemplateLexer(string name, string input)
{
    private static readonly HashSet<string> Keywords = ["if", "else", "end", "range", "with", "break", "continue", "define", "template", "block"];

    private readonly List<TemplateToken> tokens = [];
    private int position;

    public IReadOnlyList<TemplateToken> Lex()
    {
        while (position < input.Length)
        {
            int open = input.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                AddText(input[position..], position);
                position = input.Length;
                break;
            }

            bool trimLeft = open + 3 < input.Length && input[open + 2] == '-' && IsSpace(input[open + 3]);
            string text = input[position..open];
            if (trimLeft)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }

            AddText(text, position);
            position = open + (trimLeft ? 3 : 2);
            if (LexComment(open))
            {
                continue;
            }

            tokens.Add(new TemplateToken(TokenKind.LeftDelim, "{{", open));
            LexInsideAction();
        }

        tokens.Add(new TemplateToken(TokenKind.Eof, string.Empty, input.Length));
        return tokens;
    }

    private void AddText(string text, int at)
    {
        if (text.Length > 0)
        {
            tokens.Add(new TemplateToken(TokenKind.Text, text, at));
        }
    }

    private bool LexComment(int open)
    {
        int start = position;
        while (start < input.Length && IsSpace(input[start]) && input[open + 2] == '-')
        {
            start++;
        }

        if (!input.AsSpan(start).StartsWith("/*"))
        {
            return false;
        }

        int close = input.IndexOf("*/", start + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Error(open, "unclosed comment");
        }

        position = close + 2;
        if (input.AsSpan(position).StartsWith(" -}}"))
        {
            position += 4;
            SkipTrailingSpace();
        }
        else if (input.AsSpan(position).StartsWith("}}"))
        {
            position += 2;
        }
        else
        {
            throw Error(open, "comment ends before closing delimiter");
        }

        return true;
    }

    private void LexInsideAction()
    {
        while (true)
        {
            if (position >= input.Length)
            {
                throw Error(position, "unclosed action");
            }

            char c = input[position];
            if (IsSpace(c))
            {
                int start = position;
                while (position < input.Length && IsSpace(input[position]))
                {
                    position++;
                }

                if (input.AsSpan(position).StartsWith("-}}"))
                {
                    position += 3;
                    tokens.Add(new TemplateToken(TokenKind.RightDelim, "}}", start));
                    SkipTrailingSpace();
                    return;
                }

                tokens.Add(new TemplateToken(TokenKind.Space, " ", start));
                continue;
            }

            if (input.AsSpan(position).StartsWith("}}"))
            {
                tokens.Add(new TemplateToken(TokenKind.RightDelim, "}}", position));
                position += 2;
                return;
            }

            int at = position;
            switch (c)
            {
                case '|':
                    Add(TokenKind.Pipe, "|", 1);
                    break;
                case '(':
                    Add(TokenKind.LeftParen, "(", 1);
                    break;
                case ')':
                    Add(TokenKind.RightParen, ")", 1);
                    break;
                case ',':
                    Add(TokenKind.Comma, ",", 1);
                    break;
                case ':' when Peek(1) == '=':
                    Add(TokenKind.Declare, ":=", 2);
                    break;
                case '=':
                    Add(TokenKind.Assign, "=", 1);
                    break;
                case '"':
                    tokens.Add(new TemplateToken(TokenKind.String, LexQuoted(), at));
                    break;
                case '`':
                    tokens.Add(new TemplateToken(TokenKind.String, LexRaw(), at));
                    break;
                case '\'':
                    tokens.Add(new TemplateToken(TokenKind.Number, LexChar(), at));
                    break;
                case '$':
                    position++;
                    tokens.Add(new TemplateToken(TokenKind.Variable, "$" + LexWord(), at));
                    break;
                case '.' when position + 1 < input.Length && IsWordChar(input[position + 1]) && !char.IsAsciiDigit(input[position + 1]):
                    position++;
                    tokens.Add(new TemplateToken(TokenKind.Field, LexWord(), at));
                    break;
                case '.' when position + 1 < input.Length && char.IsAsciiDigit(input[position + 1]):
                    tokens.Add(new TemplateToken(TokenKind.Number, LexNumber(), at));
                    break;
                case '.':
                    Add(TokenKind.Dot, ".", 1);
                    break;
                default:
                    if (char.IsAsciiDigit(c) || ((c is '-' or '+') && char.IsAsciiDigit(Peek(1))))
                    {
                        tokens.Add(new TemplateToken(TokenKind.Number, LexNumber(), at));
                    }
                    else if (IsWordChar(c))
                    {
                        string word = LexWord();
                        TokenKind kind = word switch
                        {
                            "true" or "false" => TokenKind.Bool,
                            "nil" => TokenKind.Nil,
                            _ when Keywords.Contains(word) => TokenKind.Keyword,
                            _ => TokenKind.Identifier,
                        };
                        tokens.Add(new TemplateToken(kind, word, at));
                    }
                    else
                    {
                        throw Error(at, $"unexpected \"{c}\" in command");
                    }

                    break;
            }
        }
    }

    private void Add(TokenKind kind, string value, int length)
    {
        tokens.Add(new TemplateToken(kind, value, position));
        position += length;
    }

    private char Peek(int offset) => position + offset < input.Length ? input[position + offset] : '\0';

    private void SkipTrailingSpace()
    {
        while (position < input.Length && input[position] is ' ' or '\t' or '\r' or '\n')
        {
            position++;
        }
    }

    private string LexWord()
    {
        int start = position;
        while (position < input.Length && IsWordChar(input[position]))
        {
            position++;
        }

        return input[start..position];
    }

    private string LexNumber()
    {
        int start = position;
        if (input[position] is '+' or '-')
        {
            position++;
        }

        while (position < input.Length && (char.IsAsciiLetterOrDigit(input[position]) || input[position] is '.' or '_'
            || (input[position] is '+' or '-' && input[position - 1] is 'e' or 'E' or 'p' or 'P')))
        {
            position++;
        }

        return input[start..position];
    }

    private string LexQuoted()
    {
        int start = position;
        position++;
        var value = new StringBuilder();
        while (true)
        {
            if (position >= input.Length || input[position] == '\n')
            {
                throw Error(start, "unterminated quoted string");
            }

            char c = input[position++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (position >= input.Length)
            {
                throw Error(start, "unterminated quoted string");
            }

            char escaped = input[position++];
            switch (escaped)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '\\': value.Append('\\'); break;
                case '"': value.Append('"'); break;
                case '\'': value.Append('\''); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'v': value.Append('\v'); break;
                case '0': value.Append('\0'); break;
                case 'x' when position + 2 <= input.Length:
                    value.Append((char)int.Parse(input.AsSpan(position, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    position += 2;
                    break;
                case 'u' when position + 4 <= input.Length:
                    value.Append((char)int.Parse(input.AsSpan(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    position += 4;
                    break;
                default:
                    throw Error(start, $"invalid syntax in string: unknown escape \\{escaped}");
            }
        }
    }

    private string LexRaw()
    {
        int start = position;
        int close = input.IndexOf('`', position + 1);
        if (close < 0)
        {
            throw Error(start, "unterminated raw quoted string");
        }

        position = close + 1;
        return input[(start + 1)..close];
    }

    private string LexChar()
    {
        int start = position;
        int close = input.IndexOf('\'', position + 1);
        if (close < 0 || close == position + 1)
        {
            throw Error(start, "unterminated character constant");
        }

        string body = input[(start + 1)..close];
        position = close + 1;
        char value = body switch
        {
            "\\n" => '\n',
            "\\t" => '\t',
            "\\\\" => '\\',
            "\\'" => '\'',
            _ when body.Length == 1 => body[0],
            _ => throw Error(start, "malformed character constant"),
        };
        return ((int)value).ToString(CultureInfo.InvariantCulture);
    }

    private TemplateException Error(int at, string message) => new($"template: {name}:{LineOf(input, at)}: {message}");

    internal static int LineOf(string text, int at)
    {
        int line = 1;
        for (int i = 0; i < at && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsWordChar(char c) => c == '_' || char.IsLetterOrDigit(c);
}
