using System.Runtime.InteropServices;

namespace Skiff.Core.Native;

internal static partial class Libc
{
    public const int LOCK_SH = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_CREAT = 0x40;
    public const int O_APPEND = 0x400;
    public const int O_DIRECTORY = 0x10000;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint getrandom(byte* buffer, nuint length, uint flags);

    [LibraryImport("libc")]
    public static partial uint getegid();

    [LibraryImport("libc")]
    public static partial uint getuid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int flock(SafeHandle fd, int operation);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint write(SafeHandle fd, byte* buffer, nuint count);

    /// <summary>open(2) with O_APPEND, which .NET's FileMode.Append does not use (it seeks, then writes at its own offset).</summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenAppend(string path, int mode)
    {
        int fd;
        while ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)) < 0 && Marshal.GetLastPInvokeError() == Errors.Errnos.EINTR)
        {
        }

        if (fd < 0)
        {
            throw new Errors.SystemCallException("open", path, Marshal.GetLastPInvokeError());
        }

        return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int link(string oldpath, string newpath);

    /// <summary>fsync(2) of a directory; returns 0 or errno.</summary>
    public static int FsyncDirectory(string directory)
    {
        int fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        int rc = fsync(fd) == 0 ? 0 : Marshal.GetLastPInvokeError();
        close(fd);
        return rc;
    }
}
