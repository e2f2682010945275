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
    private readonly FileStream stream;

    private FileLock(FileStream stream) => this.stream = stream;

    /// <summary>Blocks until the exclusive (or shared) lock on <paramref name="path"/> is held.</summary>
    public static FileLock Acquire(string path, bool shared = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // FileShare.ReadWrite keeps .NET from taking its own (non-blocking) flock on the file.
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        int operation = shared ? Libc.LOCK_SH : Libc.LOCK_EX;
        while (Libc.flock(stream.SafeFileHandle, operation) != 0)
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
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        if (Libc.flock(stream.SafeFileHandle, Libc.LOCK_EX | Libc.LOCK_NB) == 0)
        {
            return new FileLock(stream);
        }

        stream.Dispose();
        return null;
    }

    public void Dispose() => stream.Dispose();
}
