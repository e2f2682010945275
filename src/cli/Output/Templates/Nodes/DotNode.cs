namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary><c>.</c>: the current value.</summary>
public sealed record DotNode(int Position) : TemplateNode(Position)
{
    public override string ToString() => ".";
}
