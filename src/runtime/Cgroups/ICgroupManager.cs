namespace Skiff.Runtime.Cgroups;

/// <summary>
/// Creates, limits, observes and removes one cgroup per container. A group is named by the string
/// <see cref="Create"/> returns (a path relative to the hierarchy roots), which the container state records.
/// Every non-null limit in <see cref="CgroupResources"/> is enforced or <see cref="Create"/> throws a
/// prerequisite error naming the flag; nothing is silently dropped.
/// </summary>
public interface ICgroupManager
{
    /// <summary>"cgroupfs" or "systemd", as podman names its cgroup managers.</summary>
    string Name { get; }

    /// <summary>1 or 2: the cgroup version the limits are written to.</summary>
    int Version { get; }

    /// <summary>Creates the container's group, applies <paramref name="resources"/> and moves <paramref name="pid"/> into it.
    /// On failure nothing is left behind.</summary>
    string Create(string containerId, CgroupResources resources, int pid);

    /// <summary>Creates the group and applies <paramref name="resources"/> with no process in it yet (an OCI
    /// runtime prepares the group before its init sets up mounts, then adds the init).</summary>
    string Prepare(string containerId, CgroupResources resources);

    /// <summary>The group <see cref="Create"/> would make for <paramref name="containerId"/>, so the engine can
    /// name it in the OCI spec (linux.cgroupsPath) and let the runtime create it.</summary>
    string GroupFor(string containerId);

    /// <summary>Throws a prerequisite error naming the flag when a limit cannot be enforced here.</summary>
    void CheckEnforceable(CgroupResources resources);

    /// <summary>Moves another process (an exec session) into the group.</summary>
    void AddProcess(string group, int pid);

    /// <summary>Applies changed limits to a live group (skiff update).</summary>
    void Update(string group, CgroupResources resources);

    CgroupStats ReadStats(string group);

    /// <summary>Freezes every task of the group and returns once they are frozen.</summary>
    void Freeze(string group);

    void Thaw(string group);

    /// <summary>True when the kernel's OOM killer killed a task of the group.</summary>
    bool WasOomKilled(string group);

    /// <summary>Kills what is left in the group and removes it. Missing groups are not an error.</summary>
    void Remove(string group);
}
