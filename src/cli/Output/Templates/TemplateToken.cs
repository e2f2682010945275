namespace Skiff.Cli.Output.Templates;

/// <summary>One lexical item: its kind, its (already unquoted for strings) value and where it starts.</summary>
public readonly record struct TemplateToken(TokenKind Kind, string Value, int Position);
