using System.CommandLine;
using System.Globalization;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff wait CONTAINER...</c>: block until each container stops, print its exit code.</summary>
public static class WaitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("wait", "Block until one or more containers stop, then print their exit codes") { containers };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            return ContainerServices.ForEachContainer(context, lifecycle.Store, parse.GetValue(containers)!, (_, id) =>
            {
                ContainerState state = lifecycle.Wait(id);
                context.Out.WriteLine(state.ExitCode.ToString(CultureInfo.InvariantCulture));
            });
        });
        return command;
    }
}
