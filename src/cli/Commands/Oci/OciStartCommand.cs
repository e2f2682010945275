using System.CommandLine;

namespace Skiff.Cli.Commands.Oci;

/// <summary><c>skiff oci start ID</c>: lets a created container's init exec the user's process.</summary>
public static class OciStartCommand
{
    public static Command Create(GlobalOptions globals, OciOptions oci)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var command = new Command("start", "Start a created container") { id };
        command.SetAction(parseResult => oci.RunAsync(parseResult, () =>
        {
            OciCommand.Runtime(globals, parseResult).Start(parseResult.GetValue(id)!);
            return 0;
        }));
        return command;
    }
}
