using System.CommandLine;

namespace Skiff.Cli;

/// <summary>
/// System.CommandLine hands an unknown <c>--flag</c> to a positional argument that can take it; docker
/// says <c>unknown flag</c>. Positionals of commands without pass-through arguments use this.
/// </summary>
public static class ArgumentChecks
{
    public static T RejectingFlags<T>(this T argument)
        where T : Argument
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    result.AddError($"unknown flag: {token.Value}");
                    return;
                }
            }
        });
        return argument;
    }
}
