using System.CommandLine;
using Skiff.Runtime.Containers;
using Skiff.Runtime.Mounts;

namespace Skiff.Cli.Commands.Oci;

/// <summary>The hidden <c>skiff oci __init</c>: the container's init, started by create inside the namespaces.</summary>
public static class OciInitCommand
{
    public static Command Create()
    {
        var command = new Command("__init", "Container init (internal)") { Hidden = true };
        command.SetAction(_ => new ContainerInit(new LinuxMountSyscalls { Cloned = ClonedMount.FromEnvironment(), Copier = new ImageTreeCopier() }).Run());
        return command;
    }
}
