using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Runtime.Secrets;

namespace Skiff.Cli.Commands.Secrets;

/// <summary>
/// <c>skiff secret rm [-a] SECRET...</c>: prints each removed secret's id. As podman 4.3, a secret that containers
/// use may be removed (they keep their own copies), and every target is tried before a missing one fails the command.
/// </summary>
public static class SecretRmCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("secret") { Arity = ArgumentArity.ZeroOrMore, Description = "Secrets to remove (names or ids)" };
        var all = new Option<bool>("--all", "-a") { Description = "Remove all secrets" };
        var command = new Command("rm", "Remove one or more secrets") { names, all };
        command.Aliases.Add("remove");
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            SecretStore secrets = ContainerServices.Secrets(context);
            string[] given = parse.GetValue(names) ?? [];
            if (given.Length == 0 == !parse.GetValue(all))
            {
                throw SkiffException.InvalidArgument("`skiff secret rm` requires one argument, or the --all flag", "name the secrets to remove, or give --all");
            }

            string[] targets = parse.GetValue(all) ? secrets.List().Select(s => s.Id).ToArray() : given;
            int exit = ExitCodes.Success;
            foreach (string target in targets)
            {
                try
                {
                    context.Out.WriteLine(secrets.Remove(target).Id);
                }
                catch (SkiffException e)
                {
                    context.Error.WriteLine($"Error: {e.Message}");
                    exit = ExitCodes.EngineError;
                }
            }

            return exit;
        });
        return command;
    }
}
