namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary><c>.A.B</c>: fields looked up from dot.</summary>
public sealed record FieldNode(int Position, IReadOnlyList<string> Path) : TemplateNode(Position)
{
    public override string ToString() => "." + string.Join('.', Path);
}
