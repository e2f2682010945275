using Skiff.Rootless.Native;

namespace Skiff.Rootless.Checks;

/// <summary>The owner of a path (statx, following symlinks); .NET has no API for it.</summary>
public static class FileOwner
{
    /// <summary>The owning uid, or null when the path cannot be examined.</summary>
    public static unsafe uint? Of(string path)
    {
        byte* buffer = stackalloc byte[Libc.StatxSize];
        if (Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_UID, buffer) != 0)
        {
            return null;
        }

        return *(uint*)(buffer + Libc.StatxUidOffset);
    }
}
