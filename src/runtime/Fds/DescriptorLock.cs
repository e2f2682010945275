using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Fds;

/// <summary>
/// An exclusive flock(2) on a lock file, held until disposed. Opened with open(2), not FileStream:
/// FileStream takes a non-blocking flock of its own and fails while another process holds the lock. flock locks belong to the open file, so
/// they are released when a crashed holder's descriptors close: a kill -9 never leaves a stale lock.
/// </summary>
public sealed class DescriptorLock : IDisposable
{
    private readonly SafeFileHandle handle;

    private DescriptorLock(SafeFileHandle handle) => this.handle = handle;

    public static DescriptorLock Acquire(string path)
    {
        SafeFileHandle handle = Descriptors.Open(path, 0x40 /* O_CREAT */ | 2 /* O_RDWR */, 0x180);
        while (Libc.flock((int)handle.DangerousGetHandle(), Libc.LOCK_EX) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errnos.EINTR)
            {
                handle.Dispose();
                throw new SystemCallException("flock", path, errno);
            }
        }

        return new DescriptorLock(handle);
    }

    /// <summary>The lock if nobody holds it now, else null (LOCK_NB).</summary>
    public static DescriptorLock? TryAcquire(string path)
    {
        SafeFileHandle handle = Descriptors.Open(path, 0x40 /* O_CREAT */ | 2 /* O_RDWR */, 0x180);
        while (Libc.flock((int)handle.DangerousGetHandle(), Libc.LOCK_EX | Libc.LOCK_NB) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errnos.EINTR)
            {
                handle.Dispose();
                return errno == Errnos.EAGAIN ? null : throw new SystemCallException("flock", path, errno);
            }
        }

        return new DescriptorLock(handle);
    }

    public void Dispose() => handle.Dispose();
}
