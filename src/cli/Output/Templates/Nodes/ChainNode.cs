namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary><c>(pipeline).A.B</c>: fields looked up on a parenthesized pipeline's value.</summary>
public sealed record ChainNode(int Position, TemplateNode Node, IReadOnlyList<string> Path) : TemplateNode(Position)
{
    public override string ToString() => $"({Node}).{string.Join('.', Path)}";
}
