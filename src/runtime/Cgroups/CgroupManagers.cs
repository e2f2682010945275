using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>The cgroup managers a user can choose, under podman's names (--cgroup-manager, cgroup_manager in containers.conf).</summary>
public static class CgroupManagers
{
    /// <summary>Transient scopes through systemd's D-Bus API (podman's default where systemd runs).</summary>
    public const string Systemd = "systemd";

    /// <summary>skiff writes the cgroup filesystem itself.</summary>
    public const string Cgroupfs = "cgroupfs";

    /// <summary>Null (choose automatically), "systemd" or "cgroupfs"; anything else is refused as podman does.</summary>
    public static string? Validate(string? name) => name switch
    {
        null or "" => null,
        Systemd or Cgroupfs => name,
        _ => throw SkiffException.InvalidArgument($"invalid cgroup manager `{name}`", "use --cgroup-manager=systemd or --cgroup-manager=cgroupfs"),
    };
}
