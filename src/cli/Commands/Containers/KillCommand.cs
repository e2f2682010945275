using System.CommandLine;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Process;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff kill [-s SIGNAL] CONTAINER...</c></summary>
public static class KillCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var signal = new Option<string>("--signal", "-s") { Description = "Signal to send to the container", DefaultValueFactory = _ => "KILL" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("kill", "Kill one or more running containers with a specific signal") { signal, containers };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            int number = Signals.Parse(parse.GetValue(signal)!);
            return ContainerServices.ForEachContainer(context, lifecycle.Store, parse.GetValue(containers)!, (target, id) =>
            {
                lifecycle.Kill(id, number);
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}
