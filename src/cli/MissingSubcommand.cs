using System.CommandLine;
using System.CommandLine.Parsing;

namespace Skiff.Cli;

/// <summary>
/// A group of verbs (<c>skiff network</c>, <c>skiff volume</c>) given no verb or an unknown one: podman says
/// <c>unrecognized command `podman network frob`</c> or <c>missing command 'podman network COMMAND'</c>,
/// exit 125, where System.CommandLine would say "Required command was not provided".
/// </summary>
public static class MissingSubcommand
{
    /// <summary>The error line for <paramref name="parse"/>, or null when its error is not about the verb.</summary>
    public static string? Describe(ParseResult parse)
    {
        CommandResult group = parse.CommandResult;
        if (group.Command.Subcommands.Count == 0 || group.Command.Action is not null || group.Parent is null)
        {
            return null;
        }

        string path = Path(group);
        string? unknown = parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
        return unknown is null ? $"missing command '{path} COMMAND'" : $"unrecognized command `{path} {unknown}`";
    }

    /// <summary>"skiff network" for the result of <c>skiff --root X network frob</c>.</summary>
    public static string Path(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Insert(0, command.Parent is null ? "skiff" : command.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
