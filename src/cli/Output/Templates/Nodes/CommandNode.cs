namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary>One command of a pipeline: a function with arguments, or a single operand.</summary>
public sealed record CommandNode(int Position, IReadOnlyList<TemplateNode> Arguments) : TemplateNode(Position)
{
    public override string ToString() => string.Join(' ', Arguments.Select(a => a is PipelineNode ? $"({a})" : a.ToString()));
}
