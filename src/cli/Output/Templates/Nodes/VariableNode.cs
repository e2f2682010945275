namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary><c>$name.A.B</c>: a variable, optionally followed by fields.</summary>
public sealed record VariableNode(int Position, string Name, IReadOnlyList<string> Path) : TemplateNode(Position)
{
    public override string ToString() => Path.Count == 0 ? Name : Name + "." + string.Join('.', Path);
}
