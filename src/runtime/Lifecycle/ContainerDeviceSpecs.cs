using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// The bundle's view of --device, --device-cgroup-rule and --privileged, as podman writes it: without a user namespace
/// each device is a node the runtime creates (linux.devices); in one, where mknod is impossible, a bind mount of the
/// host's node, read-only unless w was asked. The devices cgroup denies everything, then allows what the container was
/// given (the runtime appends the default list after these rules).
/// </summary>
public static class ContainerDeviceSpecs
{
    /// <summary>linux.devices without a user namespace: the host's nodes of a --privileged container, then each --device (which wins at the same path).</summary>
    /// <param name="privileged">The host's nodes for --privileged (<see cref="HostDeviceWalk"/>), empty otherwise.</param>
    public static List<DeviceSpec>? Nodes(ContainerConfig config, bool inUserNamespace, IReadOnlyList<ContainerDevice> privileged)
    {
        if (inUserNamespace || (config.Devices.Count == 0 && privileged.Count == 0))
        {
            return null;
        }

        // The runtime makes /dev/ptmx the link to the container's own pts/ptmx (runc skips a ptmx node too).
        List<ContainerDevice> all = [.. privileged.Where(d => d.PathInContainer != "/dev/ptmx"), .. config.Devices];
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < all.Count; i++)
        {
            last[all[i].PathInContainer] = i;
        }

        return [.. all.Where((d, i) => last[d.PathInContainer] == i).Select(d => new DeviceSpec
        {
            Path = d.PathInContainer,
            Type = d.Type,
            Major = d.Major,
            Minor = d.Minor,
            // As podman: the node's type bits with the host node's permissions.
            FileMode = (d.Type == "b" ? 0x6000u : 0x2000u) | (d.FileMode & 0x1ff),
            Uid = d.Uid,
            Gid = d.Gid,
        })];
    }

    /// <summary>
    /// In a user namespace, bind mounts of the host's nodes: for --privileged every node the walk found (read-write,
    /// as podman; the host node's own permissions decide what the container may open) except the terminals, which the
    /// container has its own of, and paths already mounted or given with --device; then each --device.
    /// </summary>
    /// <param name="privileged">The host's nodes for --privileged (<see cref="HostDeviceWalk"/>), empty otherwise.</param>
    /// <param name="mounted">The destinations the spec mounts already.</param>
    public static IEnumerable<SpecMount> Binds(ContainerConfig config, bool inUserNamespace, IReadOnlyList<ContainerDevice> privileged, IEnumerable<string> mounted)
    {
        if (!inUserNamespace)
        {
            return [];
        }

        var taken = new HashSet<string>(mounted.Concat(config.Devices.Select(d => d.PathInContainer)), StringComparer.Ordinal);
        IEnumerable<SpecMount> host = privileged
            .Where(d => d.PathInContainer != "/dev/ptmx" && !d.PathInContainer.StartsWith("/dev/tty", StringComparison.Ordinal) && !taken.Contains(d.PathInContainer))
            .Select(d => Bind(d, "rw"));
        return [.. host, .. config.Devices.Select(d => Bind(d, d.Permissions.Contains('w') ? "rw" : "ro"))];
    }

    private static SpecMount Bind(ContainerDevice device, string access) => new()
    {
        Destination = device.PathInContainer,
        Type = "bind",
        Source = device.PathOnHost,
        Options = ["bind", "nosuid", "noexec", access],
    };

    /// <summary>linux.resources.devices: deny all, then allow all with --privileged, each device, each --device-cgroup-rule.</summary>
    public static List<DeviceCgroupSpec> CgroupRules(ContainerConfig config)
    {
        var rules = new List<DeviceRule> { DeviceRule.DenyAll };
        if (config.Privileged)
        {
            rules.Add(DeviceRule.AllowAll);
        }

        foreach (ContainerDevice device in config.Devices)
        {
            rules.Add(new DeviceRule(true, device.Type[0], device.Major, device.Minor, DeviceRule.Normalize(device.Permissions)));
        }

        foreach (string rule in config.DeviceCgroupRules)
        {
            rules.Add(DeviceRule.Parse(rule));
        }

        return [.. rules.Select(OciResources.ToSpec)];
    }
}
