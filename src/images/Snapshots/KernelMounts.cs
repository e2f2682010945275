using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Images.Native;

namespace Skiff.Images.Snapshots;

/// <summary>mount(2)/umount2(2) wrappers that throw <see cref="SystemCallException"/>.</summary>
public static unsafe class KernelMounts
{
    public const ulong MS_RDONLY = 1;
    public const ulong MS_REMOUNT = 32;
    public const ulong MS_BIND = 4096;
    public const ulong MS_REC = 16384;

    public static void Mount(string? source, string target, string? type, ulong flags, string? data)
    {
        int errno = TryMount(source, target, type, flags, data);
        if (errno != 0)
        {
            throw new SystemCallException($"mount {type ?? "bind"}", target, errno, errno == Errnos.EPERM
                ? "mounting needs root, or skiff's user namespace (run the command through 'skiff unshare' when rootless)"
                : null);
        }
    }

    /// <summary>Returns 0 or errno.</summary>
    public static int TryMount(string? source, string target, string? type, ulong flags, string? data)
    {
        byte[]? s = source is null ? null : Z(source);
        byte[] t = Z(target);
        byte[]? y = type is null ? null : Z(type);
        byte[]? d = data is null ? null : Z(data);
        fixed (byte* sp = s)
        fixed (byte* tp = t)
        fixed (byte* yp = y)
        fixed (byte* dp = d)
        {
            return Libc.mount(sp, tp, yp, flags, dp) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Unmounts <paramref name="target"/>; false when nothing was mounted there.</summary>
    public static bool Unmount(string target, bool detach = false)
    {
        fixed (byte* tp = Z(target))
        {
            if (Libc.umount2(tp, detach ? Libc.MNT_DETACH : 0) == 0)
            {
                return true;
            }
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno is Errnos.EINVAL or Errnos.ENOENT)
        {
            return false;
        }

        throw new SystemCallException("umount", target, errno);
    }

    /// <summary>True when <paramref name="path"/> is a mount point in this mount namespace (from /proc/self/mountinfo).</summary>
    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Fields: id parent major:minor root mountpoint ...; octal escapes for space, tab, newline, backslash.
            string[] fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == full)
            {
                return true;
            }
        }

        return false;
    }

    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    private static byte[] Z(string value) => Files.DirectoryHandle.Z(value);
}
