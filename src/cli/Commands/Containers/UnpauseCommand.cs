using System.CommandLine;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff unpause CONTAINER...</c>: thaws paused containers.</summary>
public static class UnpauseCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("unpause", "Unpause the processes in one or more containers") { containers };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var freezer = new ContainerFreezer(lifecycle, ContainerCgroups.ForHost(context.User.Rootless));
            return ContainerServices.ForEachContainer(context, lifecycle.Store, parse.GetValue(containers)!, (target, id) =>
            {
                freezer.Unpause(id);
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}
