using System.CommandLine;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff pause CONTAINER...</c>: freezes every process of the containers (cgroup freezer).</summary>
public static class PauseCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("pause", "Pause all the processes in one or more containers") { containers };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var freezer = new ContainerFreezer(lifecycle, ContainerCgroups.ForHost(context.User.Rootless));
            return ContainerServices.ForEachContainer(context, lifecycle.Store, parse.GetValue(containers)!, (target, id) =>
            {
                freezer.Pause(id);
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}
