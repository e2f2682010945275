using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The rendezvous between `create` and `start` (runc's exec fifo): the waiting init blocks opening the
/// fifo for writing; `start` opens it for reading, which releases the init, and reads its one byte.
/// </summary>
public static unsafe class ExecFifo
{
    /// <summary>Init side: blocks until `start` opens the fifo, then signals it. <paramref name="directoryFd"/> is the state directory.</summary>
    internal static void Signal(int directoryFd)
    {
        int fd;
        do
        {
            fd = Libc.openat(directoryFd, ContainerStore.FifoFile, Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Errnos.EINTR);

        if (fd < 0)
        {
            throw new SystemCallException("open", "exec fifo", Marshal.GetLastPInvokeError());
        }

        byte zero = (byte)'0';
        nint written = Libc.write(fd, &zero, 1);
        int errno = Marshal.GetLastPInvokeError();
        if (written != 1)
        {
            Libc.close(fd);
            throw new SystemCallException("write", "exec fifo", errno);
        }

        // The descriptor stays open (it is close-on-exec): `start` reads until it closes, which is the
        // moment execve succeeded (or this process died), so start returns once the container's own
        // program runs. Until then this process is not dumpable, and `exec` could not join its namespaces.
    }

    /// <summary>
    /// `start` side. Opening non-blocking never hangs; while the init has not reached its open yet,
    /// a read sees no writer, so we retry as long as <paramref name="alive"/> says the init lives.
    /// Returns once the init has exec'd the container's program; when the init died first, the error says how
    /// (<paramref name="howItEnded"/>, while it is still unreaped).
    /// </summary>
    public static void Release(string path, Func<bool> alive, Func<string?> howItEnded)
    {
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new SystemCallException("open", path, Marshal.GetLastPInvokeError());
        }

        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        byte value;
        bool hungUp = false;
        while (true)
        {
            nint n = Libc.read(fd, &value, 1);
            if (n == 1)
            {
                WaitForExec(handle);
                return;
            }

            int errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (n < 0 && errno != Errnos.EAGAIN && errno != Errnos.EINTR)
            {
                throw new SystemCallException("read", path, errno);
            }

            if (!alive())
            {
                string? end = howItEnded();
                throw SkiffException.Conflict($"the container's init process has exited before it was started{(end is null ? string.Empty : $": it {end}")}");
            }

            if (n == 0 && hungUp)
            {
                // A writer came and went without its byte: poll would report that at once, so do not spin.
                Thread.Sleep(1);
            }

            // The init opens the fifo and writes its byte microseconds after our open; poll takes it as soon
            // as it is written (a fixed 1 ms sleep was several on a busy machine). A fifo nobody has opened
            // for writing since our open does not count as hung up, so this waits for the init's open too.
            hungUp = Fds.PollSet.WaitReadable(handle, 10);
        }
    }

    /// <summary>After the byte: the init's end closes at its execve (or its death); bounded, the init has nothing left that can block.</summary>
    private static void WaitForExec(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        int fd = (int)handle.DangerousGetHandle();
        long deadline = Environment.TickCount64 + 10_000;
        byte value;
        while (Environment.TickCount64 < deadline)
        {
            nint n = Libc.read(fd, &value, 1);
            if (n == 0)
            {
                return;
            }

            int errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (n < 0 && errno != Errnos.EAGAIN && errno != Errnos.EINTR)
            {
                return;
            }

            Fds.PollSet.WaitReadable(handle, 100);
        }
    }
}
