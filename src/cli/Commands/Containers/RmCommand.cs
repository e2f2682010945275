using System.CommandLine;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff rm [-f] [-v] CONTAINER...</c></summary>
public static class RmCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of a running container (SIGKILL)" };
        var volumes = new Option<bool>("--volumes", "-v") { Description = "Remove anonymous volumes associated with the container" };
        var all = new Option<bool>("--all", "-a") { Description = "Remove all containers" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("rm", "Remove one or more containers") { force, volumes, all, containers };
        command.Aliases.Add("remove");
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            IEnumerable<string> targets = parse.GetValue(all) ? lifecycle.Store.ListIds() : parse.GetValue(containers)!;
            return ContainerServices.ForEach(context, targets, target =>
            {
                string id = lifecycle.Store.Resolve(target);
                IReadOnlyList<ContainerMount> mounts = lifecycle.Store.ReadConfig(id).Mounts;
                lifecycle.Remove(id, parse.GetValue(force));
                if (parse.GetValue(volumes))
                {
                    ContainerServices.Volumes(context).RemoveAnonymous(mounts);
                }

                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}
