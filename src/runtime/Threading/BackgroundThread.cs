using System.Runtime.InteropServices;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Threading;

/// <summary>
/// Work on a thread of its own, started without waiting for it. NativeAOT's Thread.Start spins in
/// sched_yield until the new thread has run far enough to report itself started: measured on a container's
/// start with both CPUs busy, the monitor spun 2 ms (944 calls) before it could spawn the init, and 0.7 ms
/// after the start while the container ran. These threads are plain pthreads instead; the runtime takes each
/// in on its first managed call, on the new thread's own time. An exception that escapes the work ends the
/// process, as it would on a Thread.
/// </summary>
public sealed unsafe class BackgroundThread
{
    private readonly string name;
    private readonly Action work;
    private readonly ManualResetEventSlim finished = new(false, 0);

    private BackgroundThread(string name, Action work)
    {
        this.name = name;
        this.work = work;
    }

    /// <param name="name">The thread's name in ps and perf (the kernel keeps 15 bytes).</param>
    public static BackgroundThread Start(string name, Action work)
    {
        var thread = new BackgroundThread(name, work);
        GCHandle handle = GCHandle.Alloc(thread);
        nuint id;
        if (Libc.pthread_create(&id, null, &Entry, GCHandle.ToIntPtr(handle)) != 0)
        {
            // Out of threads for the moment (EAGAIN): the runtime's own start reports that as it does.
            handle.Free();
            new Thread(thread.Run) { IsBackground = true, Name = name }.Start();
            return thread;
        }

        Libc.pthread_detach(id);
        return thread;
    }

    /// <summary>Runs <paramref name="work"/> on a background thread; the task ends with its result or exception (continuations run on that thread).</summary>
    public static Task<T> Run<T>(string name, Func<T> work)
    {
        var result = new TaskCompletionSource<T>();
        Start(name, () =>
        {
            T value;
            try
            {
                value = work();
            }
            catch (Exception e)
            {
                result.SetException(e);
                return;
            }

            result.SetResult(value);
        });
        return result.Task;
    }

    /// <summary>As <see cref="Run{T}"/>, for work without a result.</summary>
    public static Task Run(string name, Action work) => Run(name, () =>
    {
        work();
        return true;
    });

    /// <summary>Waits until the work has returned (or thrown).</summary>
    public void Join() => finished.Wait();

    /// <summary>Waits at most <paramref name="timeout"/>; true when the work has returned.</summary>
    public bool Join(TimeSpan timeout) => finished.Wait(timeout);

    [UnmanagedCallersOnly]
    private static nint Entry(nint argument)
    {
        GCHandle handle = GCHandle.FromIntPtr(argument);
        var thread = (BackgroundThread)handle.Target!;
        handle.Free();
        Thread current = Thread.CurrentThread;
        current.IsBackground = true;
        current.Name = thread.name;
        thread.Run();
        return 0;
    }

    private void Run()
    {
        try
        {
            work();
        }
        finally
        {
            finished.Set();
        }
    }
}
