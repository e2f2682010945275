using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Core.Files;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// Moving a process into a cgroup takes the kernel's global cgroup_threadgroup_rwsem for writing, and the
/// first writer after a quiet spell waits for an RCU grace period in rcu_sync_enter (4–38 ms measured on the
/// development VM, mostly 8–12): the longest wait of a container's start as root. Writers that come while a
/// grace period is under way share it, and for one more grace period after the last writer left they do not
/// wait at all. So the monitor moves itself into the cgroup it is already in (a no-op for the kernel, which
/// takes the lock before it looks at the move) on a thread of its own as soon as it starts: by the time the
/// init's pid is known the grace period is over, or nearly, and the real attach does not wait for a new one.
/// The lock is the same for every hierarchy, v1 and v2 alike.
/// </summary>
public static class CgroupAttachWarmUp
{
    /// <summary>Starts the no-op move on a background thread; does nothing for a process that cannot move itself (rootless).</summary>
    public static void Start(string procSelfCgroup = "/proc/self/cgroup", string cgroupRoot = "/sys/fs/cgroup")
    {
        Threading.BackgroundThread.Start("cgroup warm-up", () => MoveIntoOwnGroup(procSelfCgroup, cgroupRoot));
    }

    /// <summary>The cgroup.procs files of this process's own groups, most likely writable first (unified, then v1 controllers).</summary>
    public static IEnumerable<string> OwnProcsFiles(string procSelfCgroup, string cgroupRoot, Func<string, bool> directoryExists)
    {
        var v1 = new List<string>();
        string? unified = null;
        foreach (ProcCgroupEntry entry in ProcCgroupEntry.Parse(procSelfCgroup))
        {
            if (entry.IsUnified)
            {
                // Pure v2 mounts the hierarchy at the root; hybrid layouts at <root>/unified.
                string mount = directoryExists(Path.Combine(cgroupRoot, "unified")) ? Path.Combine(cgroupRoot, "unified") : cgroupRoot;
                unified = mount + entry.Path.TrimEnd('/') + "/cgroup.procs";
            }
            else if (entry.IsV1Controller)
            {
                v1.Add(Path.Combine(cgroupRoot, entry.Controllers) + entry.Path.TrimEnd('/') + "/cgroup.procs");
            }
        }

        return unified is null ? v1 : [unified, .. v1];
    }

    private static void MoveIntoOwnGroup(string procSelfCgroup, string cgroupRoot)
    {
        string text;
        try
        {
            text = KernelFile.ReadAllText(procSelfCgroup);
        }
        catch (IOException)
        {
            return;
        }

        string pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (string procs in OwnProcsFiles(text, cgroupRoot, Directory.Exists))
        {
            try
            {
                CgroupFile.Write(Path.GetDirectoryName(procs)!, "cgroup.procs", pid);
                return;
            }
            catch (SkiffException)
            {
                // Not writable here (or refused after the lock was taken, which warms it up just the same): try the next.
            }
        }
    }
}
