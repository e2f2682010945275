using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// inspect's HostConfig.CapAdd and CapDrop as podman computes them: the container's bounding set compared
/// with docker's historical default set (so CapDrop lists AUDIT_WRITE, MKNOD and NET_RAW, which podman's
/// smaller default leaves out), or with every capability for a privileged container; CAP_ names, sorted.
/// </summary>
public static class CapabilityView
{
    private static readonly string[] DockerDefaults =
    [
        "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_MKNOD",
        "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
    ];

    public static (IReadOnlyList<string> Add, IReadOnlyList<string> Drop) Of(ContainerConfig config)
    {
        IReadOnlyList<string> bounding;
        try
        {
            bounding = SecurityProfile.BoundingSet(config.Privileged, config.CapAdd, config.CapDrop, HostCapabilities.Bounding());
        }
        catch (Core.Errors.SkiffException)
        {
            // A record written by another version with names this one does not know: show what was given.
            return (config.CapAdd, config.CapDrop);
        }

        IReadOnlyList<string> reference = config.Privileged ? Runtime.Spec.Capabilities.All : DockerDefaults;
        List<string> add = config.Privileged ? [] : [.. bounding.Where(c => !reference.Contains(c)).Order(StringComparer.Ordinal)];
        List<string> drop = [.. reference.Where(c => !bounding.Contains(c)).Order(StringComparer.Ordinal)];
        return (add, drop);
    }
}
