namespace Skiff.Runtime.Cgroups;

/// <summary>Where a new container's cgroup goes (relative to the hierarchy roots) and which manager makes it: "cgroupfs" or "systemd".</summary>
/// <param name="PrivateNamespace">Whether the container gets a cgroup namespace of its own: podman's default
/// (cgroupns=private) on cgroup v2, where the group is one directory; on v1 it stays in the host's, as podman's.</param>
public sealed record CgroupPlan(string Group, string Manager, bool PrivateNamespace = false);
