using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// As runc's exec: a process started in a running container joins its init's group in every hierarchy before it runs
/// its program, so the container's limits (memory, pids, cpu) and its freezer hold it too.
/// </summary>
public static class ExecCgroupJoin
{
    /// <param name="initPid">The container's init, whose groups are joined.</param>
    /// <param name="pid">The exec'd process, waiting for its spec.</param>
    /// <param name="rootless">Rootless, a group that cannot be joined (on cgroup v1 the container has none of its own,
    /// and a caller in another session's group may not enter the init's) is left, as runc leaves it.</param>
    public static void Join(int initPid, int pid, bool rootless)
    {
        IReadOnlyList<ProcCgroupEntry>? initEntries = ProcCgroupEntry.TryRead($"/proc/{initPid}/cgroup");
        IReadOnlyList<ProcCgroupEntry>? ownEntries = ProcCgroupEntry.TryRead($"/proc/{pid}/cgroup");
        if (initEntries is null || ownEntries is null)
        {
            return;
        }

        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ProcCgroupEntry entry in ownEntries)
        {
            own[entry.HierarchyId + ":" + entry.Controllers] = entry.Path;
        }

        CgroupLayout layout = CgroupLayoutDetector.Detect();
        foreach (ProcCgroupEntry entry in initEntries)
        {
            if (own.TryGetValue(entry.HierarchyId + ":" + entry.Controllers, out string? path) && path == entry.Path)
            {
                continue;
            }

            if (layout.MountPointOf(entry) is not { } mountPoint)
            {
                continue;
            }

            try
            {
                CgroupFile.Write(Path.Combine(mountPoint, entry.Path.Trim('/')), "cgroup.procs", pid);
            }
            catch (SkiffException) when (rootless)
            {
                // Not ours to enter; the process stays where the caller is.
            }
        }
    }
}
