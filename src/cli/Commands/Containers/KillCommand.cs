using System.CommandLine;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Process;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff kill [-s SIGNAL] [-a|-l|--cidfile FILE] CONTAINER...</c></summary>
public static class KillCommand
{
    /// <summary>podman's refusal of --all with names (kill, pause, unpause).</summary>
    public const string AllWithNames = "no arguments are needed with --all";

    public static Command Create(GlobalOptions globals)
    {
        var signal = new Option<string>("--signal", "-s") { Description = "Signal to send to the container", DefaultValueFactory = _ => "KILL" };
        var all = new Option<bool>("--all", "-a") { Description = "Signal all running containers" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("kill", "Kill one or more running containers with a specific signal") { signal, all, containers };
        var selection = new ContainerTargets(filter: false);
        selection.AddTo(command);
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            int number = Signals.Parse(parse.GetValue(signal)!);
            IEnumerable<string> targets = selection.Select(parse, context, lifecycle, parse.GetValue(all), parse.GetValue(containers)!, state => state.Running);
            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                lifecycle.Kill(id, number);
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}
