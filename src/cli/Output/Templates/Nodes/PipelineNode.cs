namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary>
/// <c>$x := cmd | cmd arg</c>: commands chained by pipes (each command's value becomes the last argument
/// of the next), optionally declared (<c>:=</c>) or assigned (<c>=</c>) to variables.
/// </summary>
public sealed record PipelineNode(int Position, IReadOnlyList<string> Variables, bool IsAssign, IReadOnlyList<CommandNode> Commands) : TemplateNode(Position)
{
    public override string ToString() =>
        (Variables.Count == 0 ? string.Empty : string.Join(", ", Variables) + (IsAssign ? " = " : " := "))
        + string.Join(" | ", Commands.Select(c => c.ToString()));
}
