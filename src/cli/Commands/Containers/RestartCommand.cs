using System.CommandLine;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff restart [-t SECONDS] CONTAINER...</c>: stop (when running) and start again, keeping the container's id, name and layer.</summary>
public static class RestartCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var time = new Option<int?>("--time", "-t") { Description = "Seconds to wait for stop before killing the container" };
        var all = new Option<bool>("--all", "-a") { Description = "Restart all non-running containers" };
        var running = new Option<bool>("--running") { Description = "Restart only running containers" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("restart", "Restart one or more containers") { time, all, running, containers };
        var selection = new ContainerTargets();
        selection.AddTo(command);
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            IEnumerable<string> targets = selection.Select(
                parse, context, lifecycle, parse.GetValue(all) || parse.GetValue(running), parse.GetValue(containers)!, state => !parse.GetValue(running) || state.Running);
            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                lifecycle.Stop(id, parse.GetValue(time), ContainerServices.StopTimeoutWarning(context, lifecycle, id));
                lifecycle.Start(id, null);
                lifecycle.Store.RecordEvent(lifecycle.Store.ReadConfig(id), "restart");
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}
