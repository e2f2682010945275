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

    public Option<string[]> DeviceReadBps { get; } = new("--device-read-bps") { Description = "Limit read rate (bytes per second) from a device (e.g. --device-read-bps=/dev/sda:1mb)" };

    public Option<string[]> DeviceWriteBps { get; } = new("--device-write-bps") { Description = "Limit write rate (bytes per second) to a device (e.g. --device-write-bps=/dev/sda:1mb)" };

    public Option<string[]> DeviceReadIops { get; } = new("--device-read-iops") { Description = "Limit read rate (IO per second) from a device (e.g. --device-read-iops=/dev/sda:1000)" };

    public Option<string[]> DeviceWriteIops { get; } = new("--device-write-iops") { Description = "Limit write rate (IO per second) to a device (e.g. --device-write-iops=/dev/sda:1000)" };

    public Option<string[]> BlkioWeightDevice { get; } = new("--blkio-weight-device") { Description = "Block IO relative device weight (DEVICE:WEIGHT, 10 to 1000)" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Device, DeviceCgroupRule, DeviceReadBps, DeviceWriteBps, DeviceReadIops, DeviceWriteIops, BlkioWeightDevice, ShmSize })
        {
            command.Options.Add(option);
        }
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

    /// <summary>The per-device block IO limits, null when none was given (they go with the other cgroup limits).</summary>
    public IReadOnlyList<BlockIoLimit>? BlockIoLimits(ParseResult parse)
    {
        var parser = new BlockIoLimitParser(BlockDeviceNumbers);
        var limits = new List<BlockIoLimit>();
        foreach ((Option<string[]> option, BlockIoLimitKind kind) in new[]
        {
            (DeviceReadBps, BlockIoLimitKind.ReadBps), (DeviceWriteBps, BlockIoLimitKind.WriteBps),
            (DeviceReadIops, BlockIoLimitKind.ReadIops), (DeviceWriteIops, BlockIoLimitKind.WriteIops),
            (BlkioWeightDevice, BlockIoLimitKind.Weight),
        })
        {
            foreach (string text in parse.GetValue(option) ?? [])
            {
                BlockIoLimit limit = parser.Parse(kind, text);
                // Weight 0 disables, as --blkio-weight 0.
                if (kind != BlockIoLimitKind.Weight || limit.Value != 0)
                {
                    limits.Add(limit);
                }
            }
        }

        return limits.Count == 0 ? null : limits;
    }

    private static (long Major, long Minor)? BlockDeviceNumbers(string path)
    {
        try
        {
            HostNode node = HostNode.Stat(path);
            return node.IsBlockDevice ? (node.Major, node.Minor) : null;
        }
        catch (SystemCallException)
        {
            return null;
        }
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
