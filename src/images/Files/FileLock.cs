using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Images.Native;

namespace Skiff.Images.Files;

/// <summary>
/// An flock on a lock file, released on dispose (and by the kernel if the process dies, which is
/// what makes kill -9 safe: a stale lock file is just an unlocked file).
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly SafeFileHandle _file;

    private FileLock(SafeFileHandle file) => _file = file;

    public static FileLock Acquire(string path, bool exclusive = true) =>
        TryAcquire(path, exclusive, wait: true) ?? throw SkiffException.Internal($"lock {path} was not acquired");

    /// <summary>Null when <paramref name="wait"/> is false and someone else holds the lock.</summary>
    public static FileLock? TryAcquire(string path, bool exclusive, bool wait)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SafeFileHandle file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        int operation = (exclusive ? Libc.LOCK_EX : Libc.LOCK_SH) | (wait ? 0 : Libc.LOCK_NB);
        while (true)
        {
            if (Libc.flock((int)file.DangerousGetHandle(), operation) == 0)
            {
                return new FileLock(file);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errnos.EINTR)
            {
                continue;
            }

            file.Dispose();
            if (errno == Errnos.EAGAIN)
            {
                return null;
            }

            throw new SystemCallException("flock", path, errno);
        }
    }

    public void Dispose() => _file.Dispose();
}
