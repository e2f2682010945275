using System.CommandLine;

namespace Skiff.Cli;

/// <summary>
/// System.CommandLine hands an unknown <c>--flag</c> to a positional argument that can take it, so
/// <c>skiff stop --bogus web</c> would look for a container named "--bogus". docker says
/// <c>unknown flag: --bogus</c>; every positional argument outside pass-through parts does the same here.
/// </summary>
public static class ArgumentChecks
{
    /// <summary>
    /// Adds the flag check to every positional argument in the tree, except the trailing arguments of
    /// pass-through verbs (<c>run IMAGE CMD...</c>: CMD belongs to the container) and the subtrees in
    /// <paramref name="untouched"/> (the OCI runtime command line, shell completion requests).
    /// </summary>
    public static void RejectFlagsInArguments(Command command, IReadOnlyDictionary<string, int> passThroughVerbs, IReadOnlySet<string> untouched)
    {
        if (untouched.Contains(command.Name))
        {
            return;
        }

        int passThroughIndex = passThroughVerbs.TryGetValue(command.Name, out int leading) ? leading : -1;
        for (int i = 0; i < command.Arguments.Count; i++)
        {
            if (i != passThroughIndex)
            {
                command.Arguments[i].RejectingFlags();
            }
        }

        foreach (Command subcommand in command.Subcommands)
        {
            RejectFlagsInArguments(subcommand, passThroughVerbs, untouched);
        }
    }

    public static T RejectingFlags<T>(this T argument)
        where T : Argument
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    // As docker's pflag: `--bogus=1` is the flag --bogus, named without its value.
                    int equals = token.Value.StartsWith("--", StringComparison.Ordinal) ? token.Value.IndexOf('=', StringComparison.Ordinal) : -1;
                    result.AddError($"unknown flag: {(equals > 0 ? token.Value[..equals] : token.Value)}");
                    return;
                }
            }
        });
        return argument;
    }
}
