namespace Skiff.Cli.Output.Templates;

/// <summary>The lexical items of Go's text/template that skiff understands.</summary>
public enum TokenKind
{
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Identifier,
    Keyword,
    Field,
    Dot,
    Variable,
    String,
    Number,
    Bool,
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    Eof,
}
