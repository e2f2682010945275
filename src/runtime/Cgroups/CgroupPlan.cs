namespace Skiff.Runtime.Cgroups;

/// <summary>Where a new container's cgroup goes (relative to the hierarchy roots) and which manager makes it: "cgroupfs" or "systemd".</summary>
public sealed record CgroupPlan(string Group, string Manager);
