namespace Skiff.Cli.Output.Templates.Nodes;

/// <summary>A node of a parsed template; <see cref="Position"/> is the offset in the template text, for errors.</summary>
public abstract record TemplateNode(int Position);
