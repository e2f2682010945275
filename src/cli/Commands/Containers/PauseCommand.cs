using System.CommandLine;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff pause CONTAINER...</c>: freezes every process of the containers (cgroup freezer).</summary>
public static class PauseCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Pause all running containers" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("pause", "Pause all the processes in one or more containers") { all, containers };
        var selection = new ContainerTargets();
        selection.AddTo(command);
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var freezer = new ContainerFreezer(lifecycle, ContainerCgroups.ForHost(context.User.Rootless));
            IEnumerable<string> targets = selection.Select(parse, context, lifecycle, parse.GetValue(all), parse.GetValue(containers)!, state => state is { Running: true, Status: not ContainerStatus.Paused });
            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                freezer.Pause(id);
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}
