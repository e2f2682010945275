using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Fds;

/// <summary>Thin checked wrappers over read/write/pipe/open for code that needs exact fd control (the monitor, attach).</summary>
public static unsafe class Descriptors
{
    public static (SafeFileHandle Read, SafeFileHandle Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            throw new SystemCallException("pipe2", null, Marshal.GetLastPInvokeError());
        }

        return (new SafeFileHandle(fds[0], ownsHandle: true), new SafeFileHandle(fds[1], ownsHandle: true));
    }

    public static SafeFileHandle Open(string path, int flags, int mode = 0)
    {
        byte[] bytes = CString(path);
        fixed (byte* p = bytes)
        {
            int fd = Libc.open(p, flags | Libc.O_CLOEXEC, mode);
            if (fd < 0)
            {
                throw new SystemCallException("open", path, Marshal.GetLastPInvokeError());
            }

            return new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    public static SafeFileHandle OpenNull(bool write) => Open("/dev/null", write ? 2 : 0);

    /// <summary>Reads what is there: the count, 0 at end of file, -1 when a non-blocking fd has nothing now.
    /// EIO counts as end of file: it is what a pty master returns once every slave is closed.</summary>
    public static int Read(SafeHandle fd, Span<byte> buffer)
    {
        int raw = (int)fd.DangerousGetHandle();
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.read(raw, p, (nuint)buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case Errnos.EINTR:
                        continue;
                    case Errnos.EAGAIN:
                        return -1;
                    case Errnos.EIO:
                        return 0;
                    default:
                        throw new SystemCallException("read", null, errno);
                }
            }
        }
    }

    /// <summary>Writes everything, waiting on a non-blocking fd. Returns false when the reader is gone (EPIPE).</summary>
    public static bool WriteAll(SafeHandle fd, ReadOnlySpan<byte> data)
    {
        int raw = (int)fd.DangerousGetHandle();
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = Libc.write(raw, p + done, (nuint)(data.Length - done));
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errnos.EINTR)
                {
                    continue;
                }

                if (errno == Errnos.EAGAIN)
                {
                    PollSet.WaitOne(fd, Libc.POLLOUT, -1);
                    continue;
                }

                if (errno is 32 or Errnos.EIO or Errnos.EBADF)
                {
                    return false;
                }

                throw new SystemCallException("write", null, errno);
            }

            return true;
        }
    }

    public static void SetNonBlocking(SafeHandle fd)
    {
        int raw = (int)fd.DangerousGetHandle();
        int flags = Libc.fcntl(raw, Libc.F_GETFL, 0);
        if (flags < 0 || Libc.fcntl(raw, Libc.F_SETFL, flags | Libc.O_NONBLOCK) < 0)
        {
            throw new SystemCallException("fcntl", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Whether descriptor number <paramref name="fd"/> came from our caller (exec --preserve-fds): open and not close-on-exec,
    /// which every descriptor .NET opens for itself is, and none that survived the execve into us can be.
    /// </summary>
    public static bool IsInherited(int fd)
    {
        int flags = Libc.fcntl(fd, Libc.F_GETFD, 0);
        return flags >= 0 && (flags & Libc.FD_CLOEXEC) == 0;
    }

    /// <summary>Sets close-on-exec: the descriptor is not inherited by a program execve runs (a dup2 of it still is).</summary>
    public static void CloseOnExec(SafeHandle fd)
    {
        if (Libc.fcntl((int)fd.DangerousGetHandle(), Libc.F_SETFD, Libc.FD_CLOEXEC) < 0)
        {
            throw new SystemCallException("fcntl(F_SETFD)", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Clears close-on-exec: the descriptor stays open, at the same number, in the program execve runs.</summary>
    public static void KeepAcrossExec(SafeHandle fd)
    {
        if (Libc.fcntl((int)fd.DangerousGetHandle(), Libc.F_SETFD, 0) < 0)
        {
            throw new SystemCallException("fcntl(F_SETFD)", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>A descriptor that becomes readable when the process exits (works for non-children too).</summary>
    public static SafeFileHandle? TryOpenPidFd(int pid)
    {
        long fd = Libc.syscall(Libc.SYS_pidfd_open, pid, 0, 0, 0, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errnos.ESRCH)
            {
                return null;
            }

            throw new SystemCallException("pidfd_open", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), errno);
        }

        return new SafeFileHandle((nint)fd, ownsHandle: true);
    }

    /// <summary>Orphaned descendants (the container init after the runtime exits) are reparented to us.</summary>
    public static void BecomeChildSubreaper()
    {
        if (Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
        {
            throw new SystemCallException("prctl(PR_SET_CHILD_SUBREAPER)", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Makes <paramref name="target"/> (e.g. 1 or 2) a copy of <paramref name="fd"/>, replacing what it was (dup2).</summary>
    public static void DuplicateTo(SafeHandle fd, int target)
    {
        int rc;
        do
        {
            rc = Libc.dup2((int)fd.DangerousGetHandle(), target);
        }
        while (rc < 0 && Marshal.GetLastPInvokeError() == Errnos.EINTR);
        if (rc < 0)
        {
            throw new SystemCallException("dup2", null, Marshal.GetLastPInvokeError());
        }
    }

    public static bool IsTerminal(int fd) => Libc.isatty(fd) == 1;

    internal static byte[] CString(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
