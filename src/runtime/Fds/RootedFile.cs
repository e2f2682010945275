using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Fds;

/// <summary>
/// Reads small files of an untrusted root filesystem (a container's /etc/passwd): the path is resolved
/// inside the root with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), so absolute and ".." symlinks
/// stay in the root and /proc magic links are refused; only regular files are read (a symlink to
/// /dev/zero or a FIFO would never end or never open), and at most <c>maxBytes</c> of them.
/// </summary>
public static unsafe class RootedFile
{
    /// <summary>The file's bytes, or null when it does not exist in the root.</summary>
    /// <exception cref="SkiffException">The file is not a regular file, is larger than <paramref name="maxBytes"/>, or cannot be read.</exception>
    public static byte[]? TryReadAll(string root, string path, int maxBytes)
    {
        using SafeFileHandle rootHandle = Descriptors.Open(root, 0x10000 /* O_DIRECTORY */ | Libc.O_PATH);
        byte[] name = Descriptors.CString(path);
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        var how = new Libc.OpenHow
        {
            Flags = (ulong)(Libc.O_CLOEXEC | Libc.O_NONBLOCK),
            Resolve = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS,
        };
        long fd;
        while (true)
        {
            fixed (byte* p = name)
            {
                fd = Libc.syscall_openat2(Libc.SYS_openat2, (int)rootHandle.DangerousGetHandle(), p, &how, (nuint)sizeof(Libc.OpenHow));
            }

            // EAGAIN: a concurrent rename could have let ".." escape; the kernel asks to retry.
            if (fd >= 0 || Marshal.GetLastPInvokeError() != Errnos.EAGAIN)
            {
                break;
            }
        }

        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errnos.ENOENT or Errnos.ENOTDIR)
            {
                if (IsSymlink(rootHandle, name))
                {
                    // Dangling in the image, but it may point at what the runtime mounts later (/dev, /proc).
                    throw new SkiffException(ErrorKind.InvalidArgument, $"{path} in the container's root filesystem is a symlink to nothing in the image", "fix the image: it must be a plain file");
                }

                return null;
            }

            throw new SkiffException(ErrorKind.InvalidArgument, $"cannot open {path} in the container's root filesystem: {Errnos.Describe(errno)}");
        }

        using var file = new SafeFileHandle((nint)fd, ownsHandle: true);
        if (Mode(file, path) is var mode && (mode & 0xF000) != 0x8000)
        {
            throw new SkiffException(ErrorKind.InvalidArgument, $"{path} in the container's root filesystem is not a regular file", "fix the image: it must be a plain file");
        }

        // Grown as needed rather than allocated at the limit: a 4 MiB zeroed array per file (passwd, group)
        // cost more page faults than everything else the monitor does to resolve the container's user.
        byte[] buffer = new byte[Math.Min(4096, maxBytes + 1)];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 4, maxBytes + 1L));
            }

            int n = Descriptors.Read(file, buffer.AsSpan(total));
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        if (total > maxBytes)
        {
            throw new SkiffException(ErrorKind.InvalidArgument, $"{path} in the container's root filesystem is larger than {maxBytes} bytes", "fix the image");
        }

        return buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>Whether <paramref name="path"/> names anything inside <paramref name="root"/> (resolved as <see cref="TryReadAll"/> does).</summary>
    public static bool Exists(string root, string path)
    {
        using SafeFileHandle rootHandle = Descriptors.Open(root, 0x10000 /* O_DIRECTORY */ | Libc.O_PATH);
        byte[] name = Descriptors.CString(path);
        var how = new Libc.OpenHow { Flags = (ulong)(Libc.O_PATH | Libc.O_CLOEXEC), Resolve = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS };
        long fd;
        fixed (byte* p = name)
        {
            fd = Libc.syscall_openat2(Libc.SYS_openat2, (int)rootHandle.DangerousGetHandle(), p, &how, (nuint)sizeof(Libc.OpenHow));
        }

        if (fd < 0)
        {
            return false;
        }

        Libc.close((int)fd);
        return true;
    }

    /// <summary>Whether the last component of <paramref name="name"/> (its parents resolved inside the root) is a symlink.</summary>
    private static bool IsSymlink(SafeFileHandle root, byte[] name)
    {
        var how = new Libc.OpenHow
        {
            Flags = (ulong)(Libc.O_PATH | Libc.O_CLOEXEC | 0x20000 /* O_NOFOLLOW */),
            Resolve = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS,
        };
        long fd;
        fixed (byte* p = name)
        {
            fd = Libc.syscall_openat2(Libc.SYS_openat2, (int)root.DangerousGetHandle(), p, &how, (nuint)sizeof(Libc.OpenHow));
        }

        if (fd < 0)
        {
            return false;
        }

        using var link = new SafeFileHandle((nint)fd, ownsHandle: true);
        return (Mode(link, "symlink") & 0xF000) == 0xA000;
    }

    private static ushort Mode(SafeFileHandle file, string path)
    {
        byte* stat = stackalloc byte[Libc.StatxSize];
        byte empty = 0;
        if (Libc.statx((int)file.DangerousGetHandle(), &empty, Libc.AT_EMPTY_PATH, Libc.STATX_MODE, stat) != 0)
        {
            throw new SystemCallException("statx", path, Marshal.GetLastPInvokeError());
        }

        return *(ushort*)(stat + Libc.StatxModeOffset);
    }
}
