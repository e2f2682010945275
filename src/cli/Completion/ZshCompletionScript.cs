using System.Text;

namespace Skiff.Cli.Completion;

/// <summary>
/// Generates the zsh completion function (<c>_skiff</c>, for a directory on <c>$fpath</c>, or sourced):
/// the tree as associative arrays, subcommands and flags offered with their descriptions.
/// </summary>
public static class ZshCompletionScript
{
    public static string Generate(IReadOnlyList<CompletionCommand> commands)
    {
        var s = new StringBuilder();
        s.Append("#compdef skiff\n");
        s.Append(CompletionScripts.Banner("#", "zsh"));
        s.Append('\n');
        s.Append("typeset -gA _skiff_subcommands _skiff_value_flags _skiff_args _skiff_flag_values\n");
        Table(s, "_skiff_subcommands", commands.Where(c => c.Subcommands.Count > 0).Select(c => (c.Key, string.Join(' ', c.Subcommands))));
        Table(s, "_skiff_value_flags", commands.Select(c => (c.Key, " " + string.Join(' ', c.Flags.Where(f => f.TakesValue).SelectMany(f => f.Names)) + " ")));
        Table(s, "_skiff_args", commands.Where(c => c.Arguments != ValueKind.None).Select(c => (c.Key, ShellWords.Values(c.Arguments, c.ArgumentChoices))));
        Table(s, "_skiff_flag_values", commands.SelectMany(c => c.Flags
            .Where(f => f.TakesValue && f.ValueKind != ValueKind.None)
            .SelectMany(f => f.Names.Select(n => (c.Key + " " + n, ShellWords.Values(f.ValueKind, f.Choices))))));
        s.Append('\n');

        // One described list per command: "name:description" entries for _describe.
        foreach (CompletionCommand command in commands)
        {
            CompletionCommand[] children = commands.Where(c => c.Path.Count == command.Path.Count + 1 && c.Path.Take(command.Path.Count).SequenceEqual(command.Path)).ToArray();
            s.Append("_skiff_cmds_").Append(command.Key).Append("=(");
            foreach (CompletionCommand child in children)
            {
                s.Append("\n    ").Append(ShellWords.Quote(Escape(child.Path[^1]) + ":" + ShellWords.Describe(child.Description)));
            }

            s.Append(children.Length > 0 ? "\n)\n" : ")\n");
            s.Append("_skiff_opts_").Append(command.Key).Append("=(");
            foreach (CompletionFlag flag in command.Flags)
            {
                foreach (string name in flag.Names)
                {
                    s.Append("\n    ").Append(ShellWords.Quote(Escape(name) + ":" + ShellWords.Describe(flag.Description)));
                }
            }

            s.Append(command.Flags.Count > 0 ? "\n)\n" : ")\n");
        }

        s.Append(Driver);
        return s.ToString();
    }

    private static string Escape(string name) => name.Replace(":", "\\:", StringComparison.Ordinal);

    private static void Table(StringBuilder s, string name, IEnumerable<(string Key, string Value)> rows)
    {
        s.Append(name).Append("=(\n");
        foreach ((string key, string value) in rows)
        {
            s.Append("    ").Append(ShellWords.Quote(key)).Append(' ').Append(ShellWords.Quote(value)).Append('\n');
        }

        s.Append(")\n");
    }

    private const string Driver = """

        _skiff_values() {
            local skiff=${words[1]}
            local -a names
            case $1 in
                @image) names=(${(f)"$($skiff $globals __complete images 2>/dev/null)"}); compadd -a names ;;
                @container) names=(${(f)"$($skiff $globals __complete containers 2>/dev/null)"}); compadd -a names ;;
                @any) names=(${(f)"$($skiff $globals __complete containers 2>/dev/null)"} ${(f)"$($skiff $globals __complete images 2>/dev/null)"}); compadd -a names ;;
                @file) _files ;;
                '') ;;
                *) names=(${=1}); compadd -a names ;;
            esac
        }

        _skiff() {
            local cmd=skiff word i
            local cur=${words[CURRENT]} prev=${words[CURRENT-1]}
            local -a globals
            for (( i = 2; i < CURRENT; i++ )); do
                word=${words[i]}
                case $word in
                    --) break ;;
                    --root|--runroot) globals+=($word ${words[i+1]}); (( i++ )) ;;
                    -*) [[ ${_skiff_value_flags[$cmd]} == *" $word "* ]] && (( i++ )) ;;
                    *) [[ " ${_skiff_subcommands[$cmd]} " == *" $word "* ]] && cmd=${cmd}_${word//-/_} ;;
                esac
            done

            if [[ $prev == -* && ${_skiff_value_flags[$cmd]} == *" $prev "* ]]; then
                _skiff_values "${_skiff_flag_values[$cmd $prev]}"
            elif [[ $cur == -* ]]; then
                local -a opts; opts=("${(@P)${:-_skiff_opts_$cmd}}")
                _describe -t flags 'flag' opts
            else
                local -a cmds; cmds=("${(@P)${:-_skiff_cmds_$cmd}}")
                (( ${#cmds} )) && _describe -t commands 'command' cmds
                [[ -n ${_skiff_args[$cmd]} ]] && _skiff_values "${_skiff_args[$cmd]}"
            fi
            return 0
        }

        if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
            _skiff "$@"
        else
            compdef _skiff skiff
        fi

        """;
}
