namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary><c>{{break}}</c> (<see cref="IsBreak"/>) or <c>{{continue}}</c> inside a range.</summary>
public sealed record LoopControlNode(int Position, bool IsBreak) : TemplateNode(Position);
