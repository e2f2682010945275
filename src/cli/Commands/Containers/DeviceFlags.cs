using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Namespaces;

namespace Skiff.Cli.Commands.Containers;

/// <summary>podman's run/create flags about the container's /dev: <c>--shm-size</c>.</summary>
public sealed class DeviceFlags
{
    public Option<string?> ShmSize { get; } = new("--shm-size") { Description = "Size of /dev/shm (format: <number>[<unit>], where unit = b, k, m or g; 0: no limit; default 64m)" };

    public void AddTo(Command command)
    {
        command.Options.Add(ShmSize);
    }

    public ContainerConfig Apply(ParseResult parse, ContainerConfig config) => config with
    {
        ShmSize = parse.GetValue(ShmSize) is { } size ? ByteSize.Parse(size, "--shm-size") : null,
    };

    /// <summary>
    /// Once --ipc is known: as podman, --shm-size is refused with the host's IPC namespace (its /dev/shm is bound) and
    /// with none (no /dev/shm); with another container's it is that container's /dev/shm, and the size is ignored.
    /// </summary>
    public static void CheckShmSize(ContainerConfig config)
    {
        NamespaceMode ipc = NamespaceMode.Parse(config.IpcMode, ipc: true);
        if (config.ShmSize is not null && ipc.Kind is NamespaceModeKind.Host or NamespaceModeKind.None)
        {
            throw SkiffException.InvalidArgument(
                $"invalid config provided: cannot set shmsize when running in the {{{ipc} }} IPC Namespace",
                "leave out --shm-size, or give the container an IPC namespace of its own");
        }
    }
}
