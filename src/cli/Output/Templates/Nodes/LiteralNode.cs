namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary>A constant: string, number (long or double), bool, or nil (<see cref="Value"/> null).</summary>
public sealed record LiteralNode(int Position, object? Value, string Text) : TemplateNode(Position)
{
    public override string ToString() => Text;
}
