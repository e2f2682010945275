namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary>The control structures that have a body and an optional else.</summary>
public enum BranchKind
{
    If,
    Range,
    With,
}
