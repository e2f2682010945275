namespace Skiff.Runtime.Cgroups;

/// <summary>A transient scope to create: unit name ("skiff-ID.scope"), the slice it goes in and its first process.</summary>
public sealed record SystemdScopeRequest(string UnitName, string Slice, int Pid, string Description)
{
    /// <summary>Always true: the container's cgroup is written by skiff, which needs a delegated subtree.</summary>
    public bool Delegate => true;
}
