using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Lifecycle;

/// <summary>What statx says about a host path (following symlinks): its type and permission bits, owner and device numbers.</summary>
public readonly record struct HostNode(uint Mode, uint Uid, uint Gid, long Major, long Minor)
{
    private const uint TypeMask = 0xf000;

    public bool IsCharDevice => (Mode & TypeMask) == Libc.S_IFCHR;

    public bool IsBlockDevice => (Mode & TypeMask) == Libc.S_IFBLK;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public uint Permissions => Mode & 0xfff;

    /// <summary>Throws <see cref="SystemCallException"/> (ENOENT for a missing path).</summary>
    public static unsafe HostNode Stat(string path)
    {
        byte* buffer = stackalloc byte[Libc.StatxSize];
        if (Libc.statx(Libc.AT_FDCWD, path, Libc.AT_STATX_SYNC_AS_STAT, Libc.STATX_BASIC_STATS, buffer) != 0)
        {
            throw new SystemCallException("statx", path, Marshal.GetLastPInvokeError());
        }

        return new HostNode(
            *(ushort*)(buffer + Libc.StatxModeOffset),
            *(uint*)(buffer + Libc.StatxUidOffset),
            *(uint*)(buffer + Libc.StatxGidOffset),
            *(uint*)(buffer + Libc.StatxRdevMajorOffset),
            *(uint*)(buffer + Libc.StatxRdevMinorOffset));
    }

    /// <summary>The caller's effective uid as this process's user namespace sees it (as <see cref="Uid"/> is seen).</summary>
    public static uint EffectiveUid => Libc.geteuid();

    /// <summary>Whether the calling user (its real ids and groups) may open <paramref name="path"/> for read, and for write when asked.</summary>
    public static bool CanOpen(string path, bool write) => Libc.access(path, Libc.R_OK | (write ? Libc.W_OK : 0)) == 0;
}
