using System.CommandLine;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;

namespace Skiff.Cli.Commands.Oci;

/// <summary>
/// The hidden <c>skiff oci __pty-hold</c>: holds the pty master it gets as stdin and reads it to the end, so the
/// process of an exec session the user detached from (exec --detach-keys) keeps its terminal, as conmon keeps it
/// for podman: closing the master would hang the terminal up and SIGHUP the process. It ends when the last
/// holder of the terminal's other side is gone.
/// </summary>
public static class OciPtyHoldCommand
{
    public const string Name = "__pty-hold";

    public static Command Create()
    {
        var command = new Command(Name, "Hold a detached exec session's terminal (internal)") { Hidden = true };
        command.SetAction(_ =>
        {
            using var master = new SafeFileHandle(0, ownsHandle: false);
            byte[] buffer = new byte[4096];
            while (Descriptors.Read(master, buffer) > 0)
            {
            }

            return 0;
        });
        return command;
    }
}
