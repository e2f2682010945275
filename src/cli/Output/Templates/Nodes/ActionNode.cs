namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary><c>{{pipeline}}</c>: prints the pipeline's value unless it declares variables.</summary>
public sealed record ActionNode(int Position, PipelineNode Pipeline) : TemplateNode(Position);
