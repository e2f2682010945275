using Microsoft.Win32.SafeHandles;
using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Core.Native;

namespace Skiff.Core.Files;

/// <summary>
/// An flock(2) lock on a lock file. Locks die with the process, so a kill -9 never leaves a stale
/// lock behind; the lock file itself is harmless and stays.
/// </summary>
public sealed class FileLock : IDisposable
{
    private const int O_RDWR = 2;
    private const int O_CREAT = 0x40;
    private const int O_CLOEXEC = 0x80000;

    private readonly SafeFileHandle stream;

    private FileLock(SafeFileHandle stream) => this.stream = stream;

    /// <summary>Blocks until the exclusive (or shared) lock on <paramref name="path"/> is held.</summary>
    public static FileLock Acquire(string path, bool shared = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SafeFileHandle stream = OpenLockFile(path);
        int operation = shared ? Libc.LOCK_SH : Libc.LOCK_EX;
        while (Libc.flock(stream, operation) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errnos.EINTR)
            {
                stream.Dispose();
                throw new SystemCallException("flock", path, errno);
            }
        }

        return new FileLock(stream);
    }

    /// <summary>Takes the lock only if it is free now; null when another process holds it.</summary>
    public static FileLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SafeFileHandle stream = OpenLockFile(path);
        while (Libc.flock(stream, Libc.LOCK_EX | Libc.LOCK_NB) != 0)
        {
            // Only EWOULDBLOCK means another holder; a signal (the runtime's own) is no reason to give up.
            if (Marshal.GetLastPInvokeError() != Errnos.EINTR)
            {
                stream.Dispose();
                return null;
            }
        }

        return new FileLock(stream);
    }

    public void Dispose() => stream.Dispose();

    /// <summary>
    /// Opened with open(2), not FileStream: .NET takes its own non-blocking flock(LOCK_SH) on every file it
    /// opens for writing, which fails at once while another holder has LOCK_EX, so waiting would never happen.
    /// </summary>
    private static SafeFileHandle OpenLockFile(string path)
    {
        int fd = Libc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0x1A4);
        if (fd < 0)
        {
            throw new SystemCallException("open", path, Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
