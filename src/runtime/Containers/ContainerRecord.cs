namespace Skiff.Runtime.Containers;

/// <summary>What the runtime remembers about a created container (state.json in its state directory).</summary>
public sealed class ContainerRecord
{
    public string OciVersion { get; set; } = Spec.RuntimeSpec.Version;

    public string Id { get; set; } = string.Empty;

    public int Pid { get; set; }

    /// <summary>The init's start time in clock ticks (/proc/PID/stat field 22), so a reused pid is not mistaken for it.</summary>
    public ulong StartTime { get; set; }

    public string Bundle { get; set; } = string.Empty;

    public string Rootfs { get; set; } = string.Empty;

    public DateTime Created { get; set; }

    public uint Owner { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>The container's cgroup (relative to the hierarchy roots), removed on delete; null when it has none.</summary>
    public string? CgroupPath { get; set; }

    /// <summary>True between pause and resume (the group is frozen).</summary>
    public bool Paused { get; set; }
}
