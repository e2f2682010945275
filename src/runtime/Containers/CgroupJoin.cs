using System.Runtime.ExceptionServices;

namespace Skiff.Runtime.Containers;

/// <summary>
/// Moves the init into its cgroup on a thread of its own, while the init's runtime starts and it builds its
/// root. A cgroup v1 attach takes cgroup_threadgroup_rwsem for writing, which first waits for an RCU grace
/// period (4–38 ms measured on the development VM, mostly 8–12): done in line, after the spec was sent, it
/// was the longest single wait of a container's start.
/// </summary>
public sealed class CgroupJoin
{
    private readonly Thread thread;
    private Exception? failure;

    private CgroupJoin(RuntimeCgroup cgroup, int pid)
    {
        thread = new Thread(() =>
        {
            try
            {
                cgroup.AddProcess(pid);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "cgroup join",
        };
        thread.Start();
    }

    public static CgroupJoin Start(RuntimeCgroup cgroup, int pid) => new(cgroup, pid);

    /// <summary>Returns once the init is in its group; throws what the attach failed with.</summary>
    public void Wait()
    {
        thread.Join();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>After a failed create: only waits, so the group can be removed; the create's own error is the one reported.</summary>
    public void WaitQuietly() => thread.Join();
}
