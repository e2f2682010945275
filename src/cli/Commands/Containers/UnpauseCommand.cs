using System.CommandLine;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff unpause CONTAINER...</c>: thaws paused containers.</summary>
public static class UnpauseCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Unpause all paused containers" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("unpause", "Unpause the processes in one or more containers") { all, containers };
        var selection = new ContainerTargets();
        selection.AddTo(command);
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var freezer = new ContainerFreezer(lifecycle, ContainerCgroups.ForHost(context.User.Rootless));
            IEnumerable<string> targets = selection.Select(parse, context, lifecycle, parse.GetValue(all), parse.GetValue(containers)!, state => state.Status == ContainerStatus.Paused);
            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                freezer.Unpause(id);
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}
