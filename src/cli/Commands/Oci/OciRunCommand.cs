using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
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
        Option<string?> preserveFds = Containers.PreserveFdsFlag.Create();
        var command = new Command("run", "Create and start a container and wait for it") { id, bundle, pidFile, preserveFds };
        command.SetAction((parseResult, cancellationToken) => oci.RunAsync(parseResult, async () =>
        {
            // runc's and crun's --preserve-fds N: this command's descriptors 3 to 2+N are the process's.
            SafeHandle[] preserved = [.. Enumerable.Range(3, Containers.PreserveFdsFlag.Parse(parseResult.GetValue(preserveFds))).Select(fd => new SafeFileHandle(fd, ownsHandle: false))];
            OciRuntime runtime = OciCommand.Runtime(globals, parseResult);
            return await runtime.RunAsync(
                new CreateOptions(parseResult.GetValue(id)!, parseResult.GetValue(bundle) ?? Directory.GetCurrentDirectory())
                {
                    PidFile = parseResult.GetValue(pidFile),
                    SystemdCgroup = parseResult.GetValue(oci.SystemdCgroup),
                    PreservedFds = preserved,
                },
                cancellationToken);
        }));
        return command;
    }
}
