using System.CommandLine;
using System.Text.Json;
using Skiff.Runtime.Containers;

namespace Skiff.Cli.Commands.Oci;

/// <summary><c>skiff oci state ID</c>: the runtime spec's state document as JSON.</summary>
public static class OciStateCommand
{
    public static Command Create(GlobalOptions globals, OciOptions oci)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var command = new Command("state", "Print the state of a container as JSON") { id };
        command.SetAction(parseResult => oci.RunAsync(parseResult, () =>
        {
            OciState state = OciCommand.Runtime(globals, parseResult).State(parseResult.GetValue(id)!);
            Console.Out.WriteLine(JsonSerializer.Serialize(state, StateJsonContext.Default.OciState));
            return 0;
        }));
        return command;
    }
}
