namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary><c>{{if}}</c>, <c>{{range}}</c> or <c>{{with}}</c> with its body and optional <c>{{else}}</c>.</summary>
public sealed record BranchNode(int Position, BranchKind Kind, PipelineNode Pipeline, ListNode Body, ListNode? Else) : TemplateNode(Position);
