using System.CommandLine;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff stop [-t SECONDS] [-a|-l|--cidfile FILE|--filter K=V] CONTAINER...</c>: the stop signal, then SIGKILL after the timeout.</summary>
public static class StopCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var time = new Option<int?>("--time", "-t") { Description = "Seconds to wait for stop before killing the container" };
        var all = new Option<bool>("--all", "-a") { Description = "Stop all running containers" };
        var ignore = new Option<bool>("--ignore", "-i") { Description = "Ignore errors when a specified container is missing" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("stop", "Stop one or more running containers") { time, all, ignore, containers };
        var selection = new ContainerTargets();
        selection.AddTo(command);
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            IEnumerable<string> targets = selection.Select(parse, context, lifecycle, parse.GetValue(all), parse.GetValue(containers)!, state => state.Running);
            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                lifecycle.Stop(id, parse.GetValue(time), ContainerServices.StopTimeoutWarning(context, lifecycle, id));
                context.Out.WriteLine(target);
            }, ignoreMissing: parse.GetValue(ignore));
        });
        return command;
    }
}
