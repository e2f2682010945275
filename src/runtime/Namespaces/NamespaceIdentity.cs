using System.Runtime.InteropServices;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Namespaces;

/// <summary>Whether two namespace files (bind mounts of /proc/PID/ns/TYPE, or those links) are the same namespace: nsfs device and inode.</summary>
public static unsafe class NamespaceIdentity
{
    /// <summary>STATX_INO.</summary>
    private const uint StatxInode = 0x100;

    /// <summary>stx_ino (u64) at 32, stx_dev_major and stx_dev_minor (u32) at 136 and 140.</summary>
    private const int InodeOffset = 32;
    private const int DeviceOffset = 136;

    public static bool Same(string first, string second) =>
        Of(first) is { } a && Of(second) is { } b && a == b;

    /// <summary>The namespace's (device, inode), or null when the file cannot be examined.</summary>
    public static (ulong Device, ulong Inode)? Of(string path)
    {
        byte* buffer = stackalloc byte[Libc.StatxSize];
        byte[] name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = name)
        {
            if (Libc.statx(Libc.AT_FDCWD, p, 0, StatxInode, buffer) != 0)
            {
                _ = Marshal.GetLastPInvokeError();
                return null;
            }
        }

        return (*(ulong*)(buffer + DeviceOffset), *(ulong*)(buffer + InodeOffset));
    }
}
