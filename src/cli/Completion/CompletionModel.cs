using System.CommandLine;
using System.CommandLine.Completions;

namespace Skiff.Cli.Completion;

/// <summary>
/// The command tree reduced to what shells complete: commands, flags, flag values and argument kinds.
/// Positional arguments complete by their name: a name containing <c>image</c> completes image names,
/// <c>container</c> container names, <c>name</c>/<c>object</c> both, <c>file</c>/<c>path</c>/<c>archive</c> files.
/// </summary>
public static class CompletionModel
{
    public static IReadOnlyList<CompletionCommand> From(RootCommand root)
    {
        var commands = new List<CompletionCommand>();
        var inherited = new List<Option>();
        Visit(root, ["skiff"], inherited, commands);
        return commands;
    }

    private static void Visit(Command command, List<string> path, List<Option> inherited, List<CompletionCommand> commands)
    {
        var visibleOptions = command.Options.Where(o => !o.Hidden).ToList();
        var recursive = inherited.Concat(visibleOptions.Where(o => o.Recursive)).ToList();
        var flags = inherited.Concat(visibleOptions)
            .DistinctBy(o => o.Name)
            .Select(ToFlag)
            .OrderBy(f => f.Names[0], StringComparer.Ordinal)
            .ToList();
        if (command is not RootCommand && !flags.Any(f => f.Names.Contains("--help")))
        {
            flags.Add(new CompletionFlag(["--help", "-h"], "Show help and usage information", false, ValueKind.None, []));
        }

        var subcommands = command.Subcommands.Where(c => !c.Hidden).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        commands.Add(new CompletionCommand(
            [.. path],
            command.Description ?? string.Empty,
            subcommands.Select(c => c.Name).ToList(),
            flags,
            ArgumentKind(command),
            command.Arguments.Where(a => !a.Hidden).SelectMany(a => a.GetCompletions(CompletionContext.Empty)).Select(c => c.Label).ToList()));
        foreach (Command sub in subcommands)
        {
            Visit(sub, [.. path, sub.Name], recursive, commands);
        }
    }

    private static CompletionFlag ToFlag(Option option)
    {
        // Only docker-style spellings: System.CommandLine's help also answers to -? and /h, which shells would glob.
        var names = new List<string> { option.Name };
        names.AddRange(option.Aliases.OrderByDescending(a => a.Length).ThenBy(a => a, StringComparer.Ordinal));
        names.RemoveAll(n => n.Length < 2 || n[0] != '-' || !char.IsAsciiLetterOrDigit(n.TrimStart('-').FirstOrDefault()));
        bool takesValue = option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool);
        if (!takesValue)
        {
            return new CompletionFlag(names, option.Description ?? string.Empty, false, ValueKind.None, []);
        }

        var choices = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();
        if (choices.Count > 0)
        {
            return new CompletionFlag(names, option.Description ?? string.Empty, true, ValueKind.Choices, choices);
        }

        return new CompletionFlag(names, option.Description ?? string.Empty, true, KindOfName(option.Name.TrimStart('-')), []);
    }

    private static ValueKind ArgumentKind(Command command)
    {
        foreach (Argument argument in command.Arguments.Where(a => !a.Hidden))
        {
            if (argument.GetCompletions(CompletionContext.Empty).Any())
            {
                return ValueKind.Choices;
            }

            ValueKind kind = KindOfName(argument.Name);
            if (kind != ValueKind.None)
            {
                return kind;
            }
        }

        return ValueKind.None;
    }

    private static ValueKind KindOfName(string name)
    {
        string lower = name.ToLowerInvariant();
        return lower switch
        {
            _ when lower.Contains("image") && lower.Contains("container") => ValueKind.ImageOrContainer,
            _ when lower.Contains("image") => ValueKind.Image,
            _ when lower.Contains("container") => ValueKind.Container,
            "name" or "names" or "object" or "objects" => ValueKind.ImageOrContainer,
            "file" or "path" or "archive" or "input" or "output" or "authfile" or "root" or "runroot" or "tmpdir" or "cidfile" or "env-file" or "label-file" => ValueKind.File,
            _ => ValueKind.None,
        };
    }
}
