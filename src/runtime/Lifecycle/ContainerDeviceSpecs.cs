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
    public static List<DeviceSpec>? Nodes(ContainerConfig config, bool inUserNamespace) =>
        inUserNamespace || config.Devices.Count == 0
            ? null
            : [.. config.Devices.Select(d => new DeviceSpec
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

    public static IEnumerable<SpecMount> Binds(ContainerConfig config, bool inUserNamespace) =>
        !inUserNamespace
            ? []
            : config.Devices.Select(d => new SpecMount
            {
                Destination = d.PathInContainer,
                Type = "bind",
                Source = d.PathOnHost,
                Options = ["bind", "nosuid", "noexec", d.Permissions.Contains('w') ? "rw" : "ro"],
            });

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
