using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Images.Native;

namespace Skiff.Images.Files;

/// <summary>Metadata calls on a file skiff has open (cheaper than resolving the name again, and cannot follow anything).</summary>
public static unsafe class OpenFile
{
    public static void Chown(SafeFileHandle file, uint uid, uint gid, string displayPath)
    {
        if (Libc.fchown(Fd(file), uid, gid) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new SystemCallException("chown", displayPath, errno, errno == Errnos.EINVAL
                ? $"uid {uid} or gid {gid} is not mapped in the user namespace: the subordinate id range in /etc/subuid and /etc/subgid is too small for this image"
                : null);
        }
    }

    public static void Chmod(SafeFileHandle file, uint mode, string displayPath)
    {
        if (Libc.fchmod(Fd(file), mode & 0xFFF) < 0)
        {
            throw new SystemCallException("chmod", displayPath, Marshal.GetLastPInvokeError());
        }
    }

    public static void SetTimes(SafeFileHandle file, long seconds, long nanoseconds, string displayPath)
    {
        Libc.Timespec* times = stackalloc Libc.Timespec[2];
        times[0] = new Libc.Timespec { Seconds = seconds, Nanoseconds = nanoseconds };
        times[1] = times[0];
        if (Libc.futimens(Fd(file), times) < 0)
        {
            throw new SystemCallException("futimens", displayPath, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Writes all of <paramref name="data"/> at the file's current position with write(2). Used instead of
    /// RandomAccess.Write, which probes every new handle with fstat and lseek first.
    /// </summary>
    public static void WriteAll(SafeFileHandle file, ReadOnlySpan<byte> data, string displayPath)
    {
        fixed (byte* start = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint written = Libc.write(Fd(file), start + done, (nuint)(data.Length - done));
                if (written < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errnos.EINTR)
                    {
                        continue;
                    }

                    throw new SystemCallException("write", displayPath, errno);
                }

                done += (int)written;
            }
        }
    }

    /// <summary>Returns errno for EPERM/EOPNOTSUPP/EACCES (what the kernel forbids) instead of throwing.</summary>
    public static int TrySetXattr(SafeFileHandle file, string key, ReadOnlySpan<byte> value, string displayPath)
    {
        int result;
        fixed (byte* k = DirectoryHandle.Z(key))
        fixed (byte* v = value)
        {
            result = Libc.fsetxattr(Fd(file), k, v, (nuint)value.Length, 0);
        }

        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errnos.EPERM or Errnos.EOPNOTSUPP or Errnos.EACCES)
            {
                return errno;
            }

            throw new SystemCallException($"setxattr {key}", displayPath, errno);
        }

        return 0;
    }

    /// <summary>Copies <paramref name="length"/> bytes between files in the kernel (reflinks where the filesystem can); false when unsupported.</summary>
    public static bool TryCopyRange(SafeFileHandle source, SafeFileHandle destination, long length)
    {
        long remaining = length;
        while (remaining > 0)
        {
            nint copied = Libc.copy_file_range(Fd(source), null, Fd(destination), null, (nuint)Math.Min(remaining, 1L << 30), 0);
            if (copied < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errnos.EINTR)
                {
                    continue;
                }

                if (remaining == length && errno is Errnos.EXDEV or Errnos.EINVAL or Errnos.ENOSYS or Errnos.EOPNOTSUPP)
                {
                    return false;
                }

                throw new SystemCallException("copy_file_range", null, errno);
            }

            if (copied == 0)
            {
                throw SkiffException.Internal("copy_file_range: source file shrank while copying");
            }

            remaining -= copied;
        }

        return true;
    }

    private static int Fd(SafeFileHandle file) => (int)file.DangerousGetHandle();
}
