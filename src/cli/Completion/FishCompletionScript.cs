using System.Text;

namespace Skiff.Cli.Completion;

/// <summary>
/// Generates the fish completions: a helper that finds which (sub)command is being completed, then one
/// <c>complete</c> line per subcommand and flag, with descriptions.
/// </summary>
public static class FishCompletionScript
{
    public static string Generate(IReadOnlyList<CompletionCommand> commands)
    {
        var s = new StringBuilder();
        s.Append(CompletionScripts.Banner("#", "fish"));
        s.Append('\n');
        Switch(s, "__skiff_subcommands", commands.Where(c => c.Subcommands.Count > 0).Select(c => (c.Key, (IEnumerable<string>)c.Subcommands)));
        Switch(s, "__skiff_value_flags", commands.Select(c => (c.Key, c.Flags.Where(f => f.TakesValue).SelectMany(f => f.Names))));
        s.Append(Helpers);
        s.Append("complete -c skiff -f\n");
        foreach (CompletionCommand command in commands)
        {
            string condition = $"-n '__skiff_is {command.Key}'";
            foreach (CompletionCommand child in commands.Where(c => c.Path.Count == command.Path.Count + 1 && c.Path.Take(command.Path.Count).SequenceEqual(command.Path)))
            {
                s.Append($"complete -c skiff {condition} -a {ShellWords.FishQuote(child.Path[^1])} -d {ShellWords.FishQuote(ShellWords.Describe(child.Description))}\n");
            }

            string? arguments = Values(command.Arguments, command.ArgumentChoices);
            if (arguments is not null)
            {
                s.Append($"complete -c skiff {condition} {arguments}\n");
            }

            foreach (CompletionFlag flag in command.Flags)
            {
                var line = new StringBuilder($"complete -c skiff {condition}");
                foreach (string name in flag.Names)
                {
                    line.Append(name.StartsWith("--", StringComparison.Ordinal) ? " -l " : name.Length == 2 ? " -s " : " -o ").Append(name.TrimStart('-'));
                }

                line.Append(" -d ").Append(ShellWords.FishQuote(ShellWords.Describe(flag.Description)));
                if (flag.TakesValue)
                {
                    line.Append(" -r");
                    line.Append(Values(flag.ValueKind, flag.Choices) is { } values ? " " + values : " -f");
                }

                s.Append(line).Append('\n');
            }
        }

        return s.ToString();
    }

    private static string? Values(ValueKind kind, IReadOnlyList<string> choices) => kind switch
    {
        ValueKind.Image => "-f -a '(__skiff_dynamic images)'",
        ValueKind.Container => "-f -a '(__skiff_dynamic containers)'",
        ValueKind.ImageOrContainer => "-f -a '(__skiff_dynamic containers; __skiff_dynamic images)'",
        ValueKind.File => "-F",
        ValueKind.Choices => "-f -a " + ShellWords.FishQuote(string.Join(' ', choices)),
        _ => null,
    };

    private static void Switch(StringBuilder s, string function, IEnumerable<(string Key, IEnumerable<string> Words)> rows)
    {
        s.Append("function ").Append(function).Append("\n    switch $argv[1]\n");
        foreach ((string key, IEnumerable<string> words) in rows)
        {
            string[] list = words.ToArray();
            if (list.Length == 0)
            {
                continue;
            }

            s.Append("        case ").Append(key).Append("\n            printf '%s\\n' ").Append(string.Join(' ', list.Select(ShellWords.FishQuote))).Append('\n');
        }

        s.Append("    end\nend\n\n");
    }

    private const string Helpers = """
        function __skiff_command
            set -l tokens (commandline -opc)
            set -l cmd skiff
            set -l skip 0
            for word in $tokens[2..-1]
                if test $skip -eq 1
                    set skip 0
                    continue
                end
                switch $word
                    case '--'
                        break
                    case '-*=*'
                    case '-*'
                        if contains -- $word (__skiff_value_flags $cmd)
                            set skip 1
                        end
                    case '*'
                        if contains -- $word (__skiff_subcommands $cmd)
                            set cmd $cmd'_'(string replace -a -- - _ $word)
                        end
                end
            end
            echo $cmd
        end

        function __skiff_is
            test (__skiff_command) = $argv[1]
        end

        function __skiff_dynamic
            set -l tokens (commandline -opc)
            set -l globals
            for i in (seq 2 (count $tokens))
                if contains -- $tokens[$i] --root --runroot; and test $i -lt (count $tokens)
                    set globals $globals $tokens[$i] $tokens[(math $i + 1)]
                end
            end
            $tokens[1] $globals __complete $argv[1] 2>/dev/null
        end


        """;
}
