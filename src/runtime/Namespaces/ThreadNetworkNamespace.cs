using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// Moves the calling thread into a network namespace: sockets it creates afterwards belong there, sockets
/// created before keep theirs. Unlike a user namespace this works in a multi-threaded process; the caller
/// needs CAP_SYS_ADMIN in the user namespace that owns the target.
/// </summary>
public static class ThreadNetworkNamespace
{
    public static void Enter(string path)
    {
        using SafeFileHandle fd = Descriptors.Open(path, 0);
        if (Libc.setns(fd, Libc.CLONE_NEWNET) != 0)
        {
            throw new SystemCallException("setns", path, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a short-lived thread of its own that has entered the namespace at
    /// <paramref name="path"/>: a socket it opens (netlink too) stays bound to that namespace after the thread
    /// ends, and /proc/sys/net there is that namespace's. No other thread of this process changes namespace.
    /// </summary>
    public static T RunIn<T>(string path, Func<T> work) => OnOwnThread(() =>
    {
        Enter(path);
        return work();
    });

    /// <summary>
    /// Makes a new, empty network namespace (owned by this process's user namespace) and binds it at
    /// <paramref name="path"/>, an existing file. A short-lived thread of its own unshares, so no other
    /// thread of this process changes namespace.
    /// </summary>
    public static void CreateBound(string path) => OnOwnThread(() =>
    {
        if (Libc.unshare(Libc.CLONE_NEWNET) != 0)
        {
            throw new SystemCallException("unshare(CLONE_NEWNET)", null, Marshal.GetLastPInvokeError());
        }

        new LinuxMountSyscalls().Mount("/proc/thread-self/ns/net", path, null, MountFlags.Bind, null);
        return true;
    });

    private static T OnOwnThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns",
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure;
        }

        return result;
    }
}
