namespace Skiff.Runtime.Cgroups;

/// <summary>How the machine mounts cgroups, in systemd's terms.</summary>
public enum CgroupMode
{
    /// <summary>No cgroup filesystem found.</summary>
    None,

    /// <summary>Only v1 controller hierarchies.</summary>
    Legacy,

    /// <summary>v1 controller hierarchies plus a cgroup2 mount that holds few or no controllers.</summary>
    Hybrid,

    /// <summary>One cgroup2 hierarchy with all controllers.</summary>
    Unified,
}
