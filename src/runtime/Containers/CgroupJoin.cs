using System.Runtime.ExceptionServices;

namespace Skiff.Runtime.Containers;

/// <summary>
/// Makes the container's cgroup and moves the init into it on a thread of its own, while the init is
/// spawned, its runtime starts and it builds its root. Both are slow on cgroup v1: the group is a mkdir (and
/// cpuset copies) in every hierarchy, and the first attach takes cgroup_threadgroup_rwsem for writing, which
/// waits for an RCU grace period (4–38 ms measured on the development VM, mostly 8–12). In line, they were
/// the longest waits of a container's start.
/// </summary>
public sealed class CgroupJoin
{
    private readonly Threading.BackgroundThread? thread;
    private readonly ManualResetEventSlim prepared = new(false, 0);
    private readonly ManualResetEventSlim released = new(false, 0);
    private RuntimeCgroup? cgroup;
    private Exception? failure;
    private int pid;

    private CgroupJoin(Func<RuntimeCgroup?> prepare, bool wanted)
    {
        if (!wanted)
        {
            prepared.Set();
            return;
        }

        thread = Threading.BackgroundThread.Start("cgroup join", () => Work(prepare));
    }

    /// <param name="prepare">Makes the group (null: the container stays in the caller's cgroup).</param>
    /// <param name="wanted">False when <paramref name="prepare"/> would make nothing: no thread is started.</param>
    public static CgroupJoin Start(Func<RuntimeCgroup?> prepare, bool wanted) => new(prepare, wanted);

    /// <summary>Waits for the group; throws what making it failed with.</summary>
    public RuntimeCgroup? Prepared()
    {
        prepared.Wait();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return cgroup;
    }

    /// <summary>Lets the thread move <paramref name="initPid"/> into the group, or with 0 only end. The first call counts.</summary>
    public void Release(int initPid)
    {
        if (!released.IsSet)
        {
            pid = initPid;
            released.Set();
        }
    }

    /// <summary>Returns once the init is in its group; throws what the attach failed with.</summary>
    public void Wait()
    {
        thread?.Join();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>After a failed create: ends the thread and returns the group it made, if any, for removal; the create's own error is the one reported.</summary>
    public RuntimeCgroup? Abandon()
    {
        Release(0);
        thread?.Join();
        return cgroup;
    }

    private void Work(Func<RuntimeCgroup?> prepare)
    {
        try
        {
            cgroup = prepare();
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            prepared.Set();
        }

        released.Wait();
        if (failure is null && cgroup is not null && pid > 0)
        {
            try
            {
                cgroup.AddProcess(pid);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
    }
}
