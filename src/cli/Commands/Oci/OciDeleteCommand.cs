using System.CommandLine;

namespace Skiff.Cli.Commands.Oci;

/// <summary><c>skiff oci delete [--force] ID</c>: forgets a stopped container (kills it first with --force).</summary>
public static class OciDeleteCommand
{
    public static Command Create(GlobalOptions globals, OciOptions oci)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var force = new Option<bool>("--force", "-f") { Description = "Kill the container if it is still running; a missing container is no error" };
        var command = new Command("delete", "Delete a container's runtime state") { id, force };
        command.SetAction(parseResult => oci.RunAsync(parseResult, () =>
        {
            OciCommand.Runtime(globals, parseResult).Delete(parseResult.GetValue(id)!, parseResult.GetValue(force));
            return 0;
        }));
        return command;
    }
}
