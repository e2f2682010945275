using System.Globalization;
using Skiff.Cli.Output.Templates.Nodes;

namespace Skiff.Cli.Output.Templates;

/// <summary>Builds the node tree of a Go text/template from its tokens (the grammar of Go's text/template/parse).</summary>
public sealed class TemplateParser
{
    private readonly string name;
    private readonly string text;
    private readonly IReadOnlyList<TemplateToken> tokens;
    private readonly IReadOnlySet<string> functions;
    private int index;
    private int loopDepth;

    public TemplateParser(string name, string text, IReadOnlySet<string> functions)
    {
        this.name = name;
        this.text = text;
        this.functions = functions;
        tokens = new TemplateLexer(name, text).Lex();
    }

    public ListNode Parse()
    {
        (ListNode list, TemplateToken stop) = ParseList();
        if (stop.Kind != TokenKind.Eof)
        {
            throw Error(stop, $"unexpected {{{{{stop.Value}}}}}");
        }

        return list;
    }

    /// <summary>Parses text and actions until EOF or an <c>{{end}}</c>/<c>{{else}}</c>, which is returned (consumed up to the keyword).</summary>
    private (ListNode List, TemplateToken Stop) ParseList()
    {
        var nodes = new List<TemplateNode>();
        int start = Current.Position;
        while (true)
        {
            TemplateToken token = Next();
            switch (token.Kind)
            {
                case TokenKind.Eof:
                    return (new ListNode(start, nodes), token);
                case TokenKind.Text:
                    nodes.Add(new TextNode(token.Position, token.Value));
                    break;
                case TokenKind.LeftDelim:
                    SkipSpace();
                    TemplateToken first = Current;
                    if (first.Kind == TokenKind.Keyword && first.Value is "end" or "else")
                    {
                        Next();
                        return (new ListNode(start, nodes), first);
                    }

                    nodes.Add(ParseAction());
                    break;
                default:
                    throw Error(token, $"unexpected {token.Value}");
            }
        }
    }

    private TemplateNode ParseAction()
    {
        TemplateToken token = Current;
        if (token.Kind == TokenKind.Keyword)
        {
            Next();
            switch (token.Value)
            {
                case "if":
                    return ParseBranch(token, BranchKind.If);
                case "range":
                    return ParseBranch(token, BranchKind.Range);
                case "with":
                    return ParseBranch(token, BranchKind.With);
                case "break" or "continue":
                    if (loopDepth == 0)
                    {
                        throw Error(token, $"{{{{{token.Value}}}}} outside {{{{range}}}}");
                    }

                    ExpectRightDelim(token.Value);
                    return new LoopControlNode(token.Position, token.Value == "break");
                default:
                    throw Error(token, $"{token.Value} is not supported");
            }
        }

        PipelineNode pipeline = ParsePipeline("command", TokenKind.RightDelim);
        return new ActionNode(token.Position, pipeline);
    }

    private BranchNode ParseBranch(TemplateToken keyword, BranchKind kind)
    {
        PipelineNode pipeline = ParsePipeline(keyword.Value, TokenKind.RightDelim);
        if (kind == BranchKind.Range)
        {
            loopDepth++;
        }

        (ListNode body, TemplateToken stop) = ParseList();
        if (kind == BranchKind.Range)
        {
            loopDepth--;
        }

        ListNode? elseList = null;
        if (stop.Kind == TokenKind.Eof)
        {
            throw Error(keyword, "unexpected EOF");
        }

        if (stop.Value == "else")
        {
            SkipSpace();
            if (Current.Kind == TokenKind.Keyword && Current.Value is "if" or "with" && kind != BranchKind.Range)
            {
                // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} sharing the outer {{end}}.
                TemplateToken nested = Next();
                BranchNode inner = ParseBranch(nested, nested.Value == "if" ? BranchKind.If : BranchKind.With);
                elseList = new ListNode(nested.Position, [inner]);
                return new BranchNode(keyword.Position, kind, pipeline, body, elseList);
            }

            ExpectRightDelim("else");
            (elseList, stop) = ParseList();
            if (stop.Kind == TokenKind.Eof || stop.Value != "end")
            {
                throw Error(keyword, "expected end; found " + (stop.Kind == TokenKind.Eof ? "EOF" : stop.Value));
            }
        }

        ExpectRightDelim("end");
        return new BranchNode(keyword.Position, kind, pipeline, body, elseList);
    }

    private PipelineNode ParsePipeline(string context, TokenKind end)
    {
        SkipSpace();
        int start = Current.Position;
        var variables = new List<string>();
        bool isAssign = false;

        // Declarations: "$x :=", "$x =", "$i, $e :=".
        int save = index;
        if (Current.Kind == TokenKind.Variable)
        {
            TemplateToken first = Next();
            SkipSpace();
            if (Current.Kind is TokenKind.Declare or TokenKind.Assign)
            {
                isAssign = Next().Kind == TokenKind.Assign;
                variables.Add(first.Value);
            }
            else if (Current.Kind == TokenKind.Comma && context == "range")
            {
                Next();
                SkipSpace();
                TemplateToken second = Next();
                if (second.Kind != TokenKind.Variable)
                {
                    throw Error(second, "range can only initialize variables");
                }

                SkipSpace();
                if (Current.Kind is not (TokenKind.Declare or TokenKind.Assign))
                {
                    throw Error(Current, "expected := after range variables");
                }

                isAssign = Next().Kind == TokenKind.Assign;
                variables.Add(first.Value);
                variables.Add(second.Value);
            }
            else
            {
                index = save;
            }
        }

        var commands = new List<CommandNode>();
        while (true)
        {
            SkipSpace();
            TemplateToken token = Current;
            if (token.Kind == end)
            {
                Next();
                break;
            }

            if (token.Kind == TokenKind.Pipe)
            {
                if (commands.Count == 0)
                {
                    throw Error(token, $"missing command before | in {context}");
                }

                Next();
                continue;
            }

            commands.Add(ParseCommand(end));
        }

        if (commands.Count == 0)
        {
            throw Error(tokens[Math.Max(index - 1, 0)], $"missing value for {context}");
        }

        return new PipelineNode(start, variables, isAssign, commands);
    }

    private CommandNode ParseCommand(TokenKind end)
    {
        var arguments = new List<TemplateNode>();
        int start = Current.Position;
        while (true)
        {
            SkipSpace();
            TemplateToken token = Current;
            if (token.Kind == end || token.Kind == TokenKind.Pipe)
            {
                break;
            }

            if (token.Kind is TokenKind.Eof or TokenKind.RightDelim or TokenKind.RightParen)
            {
                throw Error(token, $"unexpected {Describe(token)} in operand");
            }

            arguments.Add(ParseOperand());
        }

        return new CommandNode(start, arguments);
    }

    private TemplateNode ParseOperand()
    {
        TemplateToken token = Next();
        TemplateNode term;
        switch (token.Kind)
        {
            // As Go's parser, a node with a chain (.A.B, $x.A) is positioned at the chain's first field.
            case TokenKind.Field:
                int fieldAt = ChainPosition(token);
                var path = new List<string> { token.Value };
                path.AddRange(ParseFieldChain());
                return new FieldNode(fieldAt, path);
            case TokenKind.Variable:
                int variableAt = ChainPosition(token);
                return new VariableNode(variableAt, token.Value, ParseFieldChain());
            case TokenKind.Dot:
                term = new DotNode(token.Position);
                break;
            case TokenKind.Identifier:
                if (!functions.Contains(token.Value))
                {
                    throw Error(token, $"function \"{token.Value}\" not defined");
                }

                term = new IdentifierNode(token.Position, token.Value);
                break;
            case TokenKind.String:
                term = new LiteralNode(token.Position, token.Value, Quote(token.Value));
                break;
            case TokenKind.Bool:
                term = new LiteralNode(token.Position, token.Value == "true", token.Value);
                break;
            case TokenKind.Nil:
                term = new LiteralNode(token.Position, null, "nil");
                break;
            case TokenKind.Number:
                term = new LiteralNode(token.Position, ParseNumber(token), token.Value);
                break;
            case TokenKind.LeftParen:
                term = ParsePipeline("parenthesized pipeline", TokenKind.RightParen);
                break;
            default:
                throw Error(token, $"unexpected {Describe(token)} in operand");
        }

        int chainAt = ChainPosition(token);
        IReadOnlyList<string> chain = ParseFieldChain();
        return chain.Count == 0 ? term : new ChainNode(chainAt, term, chain);
    }

    private int ChainPosition(TemplateToken term) => Current.Kind == TokenKind.Field ? Current.Position : term.Position;

    private List<string> ParseFieldChain()
    {
        var path = new List<string>();
        while (Current.Kind == TokenKind.Field)
        {
            path.Add(Next().Value);
        }

        return path;
    }

    private object ParseNumber(TemplateToken token)
    {
        string value = token.Value.Replace("_", string.Empty, StringComparison.Ordinal);
        bool negative = value.StartsWith('-');
        string digits = value.TrimStart('+', '-');
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(digits.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex))
        {
            return negative ? -hex : hex;
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return integer;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double real))
        {
            return real;
        }

        throw Error(token, $"bad number syntax: \"{token.Value}\"");
    }

    private void ExpectRightDelim(string context)
    {
        SkipSpace();
        TemplateToken token = Next();
        if (token.Kind != TokenKind.RightDelim)
        {
            throw Error(token, $"unexpected {Describe(token)} in {context}");
        }
    }

    private void SkipSpace()
    {
        while (Current.Kind == TokenKind.Space)
        {
            index++;
        }
    }

    private TemplateToken Current => tokens[index];

    private TemplateToken Next() => tokens[index < tokens.Count - 1 ? index++ : index];

    private static string Describe(TemplateToken token) => token.Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.RightDelim => "\"}}\"",
        TokenKind.RightParen => "\")\"",
        _ => $"<{token.Value}>",
    };

    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private TemplateException Error(TemplateToken token, string message) =>
        new($"template: {name}:{TemplateLexer.LineOf(text, token.Position)}: {message}");
}
