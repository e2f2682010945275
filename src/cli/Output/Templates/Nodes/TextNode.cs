namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary>Literal text, copied to the output.</summary>
public sealed record TextNode(int Position, string Text) : TemplateNode(Position);
