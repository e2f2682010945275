using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Namespaces;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's run/create flags about the container's devices: <c>--device</c>, <c>--device-cgroup-rule</c>, the
/// per-device block IO limits and <c>--shm-size</c>.
/// </summary>
public sealed class DeviceFlags
{
    public Option<string?> ShmSize { get; } = new("--shm-size") { Description = "Size of /dev/shm (format: <number>[<unit>], where unit = b, k, m or g; 0: no limit; default 64m)" };

    public Option<string[]> Device { get; } = new("--device") { Description = "Add a host device to the container (HOST[:CONTAINER][:PERMISSIONS], permissions from r, w, m)" };

    public Option<string[]> DeviceCgroupRule { get; } = new("--device-cgroup-rule") { Description = "Add a rule to the cgroup allowed devices list ('TYPE MAJOR:MINOR ACCESS', e.g. 'c 1:3 rwm')" };

    /// <summary>The per-device block IO limits, shared with update.</summary>
    public BlockIoDeviceFlags BlockIo { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(DeviceCgroupRule);
        BlockIo.AddTo(command);
        command.Options.Add(ShmSize);
    }

    /// <summary>--device is resolved on the host here (podman stores the numbers too); rootless, nodes the user cannot open are refused.</summary>
    public ContainerConfig Apply(ParseResult parse, ContainerConfig config, bool rootless)
    {
        string[] rules = parse.GetValue(DeviceCgroupRule) ?? [];
        foreach (string rule in rules)
        {
            DeviceRule.Parse(rule);
        }

        return config with
        {
            ShmSize = parse.GetValue(ShmSize) is { } size ? ByteSize.Parse(size, "--shm-size") : null,
            Devices = new HostDevices(rootless, KeepGroups.Requested(config.GroupAdd)).Resolve(parse.GetValue(Device) ?? []),
            DeviceCgroupRules = rules,
        };
    }

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
