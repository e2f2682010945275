namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary>A function name such as <c>json</c> or <c>join</c>.</summary>
public sealed record IdentifierNode(int Position, string Name) : TemplateNode(Position)
{
    public override string ToString() => Name;
}
