using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Containers;

namespace Skiff.Cli.Commands.Oci;

/// <summary><c>skiff oci create [--bundle DIR] [--pid-file F] [--console-socket S] ID</c>: sets the container up and leaves its init waiting for start.</summary>
public static class OciCreateCommand
{
    public static Command Create(GlobalOptions globals, OciOptions oci)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var bundle = new Option<string?>("--bundle", "-b") { Description = "Directory holding config.json (default: current directory)" };
        var pidFile = new Option<string?>("--pid-file") { Description = "Write the init's pid to this file" };
        Option<string?> preserveFds = Containers.PreserveFdsFlag.Create();
        var consoleSocket = new Option<string?>("--console-socket") { Description = "AF_UNIX socket that receives the pty master" };
        var noPivot = new Option<bool>("--no-pivot") { Description = "Accepted for runc compatibility: the root is always entered with pivot_root" };
        var noNewKeyring = new Option<bool>("--no-new-keyring") { Description = "Accepted for runc compatibility: no session keyring is created" };
        var command = new Command("create", "Create a container from a bundle") { id, bundle, pidFile, consoleSocket, noPivot, noNewKeyring, preserveFds };
        command.SetAction((parseResult, cancellationToken) => oci.RunAsync(parseResult, async () =>
        {
            // runc's and crun's --preserve-fds N: this command's descriptors 3 to 2+N are the process's.
            SafeHandle[] preserved = [.. Enumerable.Range(3, Containers.PreserveFdsFlag.Parse(parseResult.GetValue(preserveFds))).Select(fd => new SafeFileHandle(fd, ownsHandle: false))];
            OciRuntime runtime = OciCommand.Runtime(globals, parseResult);
            await runtime.CreateAsync(
                new CreateOptions(parseResult.GetValue(id)!, parseResult.GetValue(bundle) ?? Directory.GetCurrentDirectory())
                {
                    PidFile = parseResult.GetValue(pidFile),
                    ConsoleSocket = parseResult.GetValue(consoleSocket),
                    SystemdCgroup = parseResult.GetValue(oci.SystemdCgroup),
                    PreservedFds = preserved,
                },
                cancellationToken);
            return 0;
        }));
        return command;
    }
}
