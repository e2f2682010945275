namespace Skiff.Runtime.Cgroups;

/// <summary>What a rootless user may do in the unified hierarchy.</summary>
/// <param name="Group">The user's own cgroup, relative to the cgroup2 mount (from /proc/self/cgroup).</param>
/// <param name="Writable">True when the user may create groups and move processes there.</param>
/// <param name="Controllers">Controllers available in <paramref name="Group"/> (its cgroup.controllers).</param>
public sealed record CgroupDelegation(string? Group, bool Writable, IReadOnlySet<string> Controllers)
{
    /// <summary>Reads the current process's unified cgroup and checks what it may do there.</summary>
    public static CgroupDelegation Probe(string unifiedMount, string procSelfCgroup = "/proc/self/cgroup")
    {
        string? group = ProcCgroupEntry.ReadUnifiedPath(procSelfCgroup)?.Trim('/');
        if (group is null)
        {
            return new CgroupDelegation(null, false, new HashSet<string>());
        }

        string directory = Path.Combine(unifiedMount, group);
        bool writable = CanOpenForWriting(Path.Combine(directory, "cgroup.procs"))
            && CanOpenForWriting(Path.Combine(directory, "cgroup.subtree_control"));
        return new CgroupDelegation(group, writable, CgroupLayoutDetector.ReadControllers(directory));
    }

    /// <summary>Opening for writing checks permission without changing anything (nothing is written).</summary>
    private static bool CanOpenForWriting(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
