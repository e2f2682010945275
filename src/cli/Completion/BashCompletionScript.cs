using System.Text;

namespace Skiff.Cli.Completion;

/// <summary>Generates the bash completion script: the command tree as associative arrays plus one small driver.</summary>
public static class BashCompletionScript
{
    public static string Generate(IReadOnlyList<CompletionCommand> commands)
    {
        var s = new StringBuilder();
        s.Append(CompletionScripts.Banner("#", "bash"));
        s.Append('\n');
        Table(s, "_skiff_subcommands", commands.Where(c => c.Subcommands.Count > 0).Select(c => (c.Key, string.Join(' ', c.Subcommands))));
        Table(s, "_skiff_flags", commands.Select(c => (c.Key, string.Join(' ', c.Flags.SelectMany(f => f.Names)))));
        Table(s, "_skiff_value_flags", commands.Select(c => (c.Key, " " + string.Join(' ', c.Flags.Where(f => f.TakesValue).SelectMany(f => f.Names)) + " ")));
        Table(s, "_skiff_args", commands.Where(c => c.Arguments != ValueKind.None).Select(c => (c.Key, ShellWords.Values(c.Arguments, c.ArgumentChoices))));
        Table(s, "_skiff_flag_values", commands.SelectMany(c => c.Flags
            .Where(f => f.TakesValue && f.ValueKind != ValueKind.None)
            .SelectMany(f => f.Names.Select(n => (c.Key + " " + n, ShellWords.Values(f.ValueKind, f.Choices))))));
        s.Append(Driver);
        return s.ToString();
    }

    private static void Table(StringBuilder s, string name, IEnumerable<(string Key, string Value)> rows)
    {
        s.Append("declare -gA ").Append(name).Append("=(\n");
        foreach ((string key, string value) in rows)
        {
            s.Append("    [").Append(ShellWords.Quote(key)).Append("]=").Append(ShellWords.Quote(value)).Append('\n');
        }

        s.Append(")\n");
    }

    private const string Driver = """

        _skiff_values() {
            local skiff="${COMP_WORDS[0]}"
            case "$1" in
                @image) COMPREPLY+=($(compgen -W "$("$skiff" "${_skiff_global_args[@]}" __complete images 2>/dev/null)" -- "$cur")) ;;
                @container) COMPREPLY+=($(compgen -W "$("$skiff" "${_skiff_global_args[@]}" __complete containers 2>/dev/null)" -- "$cur")) ;;
                @any) COMPREPLY+=($(compgen -W "$("$skiff" "${_skiff_global_args[@]}" __complete containers 2>/dev/null) $("$skiff" "${_skiff_global_args[@]}" __complete images 2>/dev/null)" -- "$cur")) ;;
                @file) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")) ;;
                *) COMPREPLY+=($(compgen -W "$1" -- "$cur")) ;;
            esac
        }

        _skiff() {
            local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
            local cmd=skiff i word
            local -a _skiff_global_args=()
            COMPREPLY=()
            for ((i = 1; i < COMP_CWORD; i++)); do
                word="${COMP_WORDS[i]}"
                case "$word" in
                    --) break ;;
                    --root | --runroot) _skiff_global_args+=("$word" "${COMP_WORDS[i+1]}"); ((i++)) ;;
                    -*) [[ "${_skiff_value_flags[$cmd]}" == *" $word "* ]] && ((i++)) ;;
                    *) [[ " ${_skiff_subcommands[$cmd]} " == *" $word "* ]] && cmd="${cmd}_${word//-/_}" ;;
                esac
            done

            if [[ "$prev" == -* && "${_skiff_value_flags[$cmd]}" == *" $prev "* ]]; then
                _skiff_values "${_skiff_flag_values[$cmd $prev]}"
            elif [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "${_skiff_flags[$cmd]}" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "${_skiff_subcommands[$cmd]}" -- "$cur"))
                [[ -n "${_skiff_args[$cmd]}" ]] && _skiff_values "${_skiff_args[$cmd]}"
            fi

            # Image names contain ':', which bash splits words on.
            declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
            return 0
        }

        complete -F _skiff skiff

        """;
}
