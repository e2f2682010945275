using System.CommandLine;
using Skiff.Runtime.Containers;
using Skiff.Runtime.Mounts;

namespace Skiff.Cli.Commands.Oci;

/// <summary>The hidden <c>skiff oci __exec</c>: a process exec starts inside a running container's namespaces.</summary>
public static class OciExecInitCommand
{
    public static Command Create()
    {
        var command = new Command("__exec", "Exec'd process setup (internal)") { Hidden = true };
        command.SetAction(_ => new ExecInit(new LinuxMountSyscalls()).Run());
        return command;
    }
}
