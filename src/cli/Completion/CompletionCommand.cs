namespace Skiff.Cli.Completion;

/// <summary>One command of the tree: its path (<c>skiff image inspect</c>), subcommands, flags and what its positional arguments complete to.</summary>
public sealed record CompletionCommand(
    IReadOnlyList<string> Path,
    string Description,
    IReadOnlyList<string> Subcommands,
    IReadOnlyList<CompletionFlag> Flags,
    ValueKind Arguments,
    IReadOnlyList<string> ArgumentChoices)
{
    /// <summary>A shell-safe identifier for the path: <c>skiff_image_inspect</c>.</summary>
    public string Key => string.Join('_', Path).Replace('-', '_');
}
