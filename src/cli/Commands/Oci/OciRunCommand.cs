using System.CommandLine;
using Skiff.Runtime.Containers;

namespace Skiff.Cli.Commands.Oci;

/// <summary><c>skiff oci run [--bundle DIR] ID</c>: create, start, wait and delete, exiting with the container's code (crun run).</summary>
public static class OciRunCommand
{
    public static Command Create(GlobalOptions globals, OciOptions oci)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var bundle = new Option<string?>("--bundle", "-b") { Description = "Directory holding config.json (default: current directory)" };
        var pidFile = new Option<string?>("--pid-file") { Description = "Write the init's pid to this file" };
        var command = new Command("run", "Create and start a container and wait for it") { id, bundle, pidFile };
        command.SetAction((parseResult, cancellationToken) => oci.RunAsync(parseResult, async () =>
        {
            OciRuntime runtime = OciCommand.Runtime(globals, parseResult);
            return await runtime.RunAsync(
                new CreateOptions(parseResult.GetValue(id)!, parseResult.GetValue(bundle) ?? Directory.GetCurrentDirectory())
                {
                    PidFile = parseResult.GetValue(pidFile),
                    SystemdCgroup = parseResult.GetValue(oci.SystemdCgroup),
                },
                cancellationToken);
        }));
        return command;
    }
}
