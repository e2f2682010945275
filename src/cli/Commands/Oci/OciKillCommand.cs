using System.CommandLine;
using Skiff.Runtime.Process;

namespace Skiff.Cli.Commands.Oci;

/// <summary><c>skiff oci kill [--all] ID [SIGNAL]</c>: signals the container's init (default SIGTERM), or every process of the container.</summary>
public static class OciKillCommand
{
    public static Command Create(GlobalOptions globals, OciOptions oci)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var signal = new Argument<string>("signal") { Description = "Signal name or number", DefaultValueFactory = _ => "TERM" };
        var all = new Option<bool>("--all", "-a") { Description = "Signal every process of the container, not only its init" };
        var command = new Command("kill", "Send a signal to a container's init") { id, signal, all };
        command.SetAction(parseResult => oci.RunAsync(parseResult, () =>
        {
            int number = Signals.Parse(parseResult.GetValue(signal)!);
            OciCommand.Runtime(globals, parseResult).Kill(parseResult.GetValue(id)!, number, parseResult.GetValue(all));
            return 0;
        }));
        return command;
    }
}
