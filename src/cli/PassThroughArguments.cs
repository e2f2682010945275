using System.CommandLine;

namespace Skiff.Cli;

/// <summary>
/// docker stops parsing flags at the first positional argument of commands like <c>run IMAGE CMD...</c>,
/// so <c>run alpine ls -la</c> passes <c>-la</c> to the container. System.CommandLine would read it as a
/// flag; this inserts <c>--</c> where docker would stop parsing.
/// </summary>
public static class PassThroughArguments
{
    /// <param name="args">The whole command line.</param>
    /// <param name="verbIndex">Index of the verb token (e.g. "run") in <paramref name="args"/>.</param>
    /// <param name="verb">The verb's command, to know which flags take a value.</param>
    /// <param name="leadingPositionals">
    /// Positionals before the pass-through part (1 for IMAGE or CONTAINER, 0 for unshare). podman's <c>--latest</c>
    /// (<c>exec -l CMD…</c>, <c>top -l DESCRIPTORS…</c>) stands for the container: with it there is one less.
    /// </param>
    public static string[] Separate(string[] args, int verbIndex, Command verb, int leadingPositionals)
    {
        int seen = 0;
        for (int i = verbIndex + 1; i < args.Length; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                return args;
            }

            if (token.StartsWith('-') && token.Length > 1)
            {
                if (leadingPositionals > 0 && NamesLatest(verb, token))
                {
                    leadingPositionals--;
                }

                if (!token.Contains('=') && TakesValue(verb, token))
                {
                    i++;
                }

                continue;
            }

            if (seen == leadingPositionals)
            {
                return [.. args[..i], "--", .. args[i..]];
            }

            seen++;
        }

        return args;
    }

    /// <summary>
    /// Whether <paramref name="token"/>, a flag of <paramref name="verb"/> without '=', takes the next argument as its value
    /// (a bundle of short flags when its last letter does).
    /// </summary>
    public static bool TakesValue(Command verb, string token)
    {
        foreach (Option option in AllOptions(verb))
        {
            if (option.Name == token || option.Aliases.Contains(token))
            {
                return !IsFlag(option);
            }
        }

        // Bundled short flags (-it) take a value only if the last letter does (-itp 80 is rare; docker allows -e VAR in bundles).
        if (!token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
        {
            return TakesValue(verb, "-" + token[^1]);
        }

        return false;
    }

    /// <summary>Whether <paramref name="token"/> is the verb's <c>--latest</c>, alone or in a bundle of short flags (<c>-itl</c>).</summary>
    private static bool NamesLatest(Command verb, string token)
    {
        if (!verb.Options.Any(o => o.Name == "--latest"))
        {
            return false;
        }

        if (token is "--latest" or "--latest=true")
        {
            return true;
        }

        return !token.StartsWith("--", StringComparison.Ordinal) && token.Contains('l')
            && token[1..].TakeWhile(c => c != 'l').All(c => !TakesValue(verb, "-" + c));
    }

    private static bool IsFlag(Option option) =>
        option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0;

    private static IEnumerable<Option> AllOptions(Command verb)
    {
        foreach (Option option in verb.Options)
        {
            yield return option;
        }

        for (Command? parent = verb.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (Option option in parent.Options.Where(o => o.Recursive))
            {
                yield return option;
            }
        }
    }
}
