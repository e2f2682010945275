namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary>A sequence of text and actions.</summary>
public sealed record ListNode(int Position, IReadOnlyList<TemplateNode> Nodes) : TemplateNode(Position);
