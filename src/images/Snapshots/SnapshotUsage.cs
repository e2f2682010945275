using Skiff.Core.Errors;
using Skiff.Images.Files;

namespace Skiff.Images.Snapshots;

/// <summary>
/// The bytes a container wrote into its snapshot (podman's <c>ps --size</c> RwSize): for an overlay snapshot its
/// upper directory, for a copied one the copy. Counted as containers/storage sizes a layer's diff directory: the
/// size of everything that is not a directory, an inode with several hard links once. The container owns the
/// tree, so it is walked as untrusted: symlinks are never followed (a symlink counts the length of its target),
/// every directory is opened below the snapshot with <c>openat2(RESOLVE_IN_ROOT)</c>, and a directory on another
/// filesystem (something mounted inside) is not entered. Breadth-first, with one directory open at a time, so a
/// deeply nested tree costs neither stack nor descriptors.
/// </summary>
public static class SnapshotUsage
{
    /// <summary>What each snapshotter keeps the container's changes in (<see cref="OverlaySnapshotter"/> and
    /// <see cref="MappedCopySnapshotter"/>: upper; <see cref="CopySnapshotter"/>: rootfs).</summary>
    private static readonly string[] WritableDirectories = ["upper", "rootfs"];

    /// <summary>The size of the writable layer in <paramref name="snapshotDirectory"/>; 0 when there is none (a --rootfs container).</summary>
    /// <exception cref="SystemCallException">A directory of the layer could not be read (rootless: owned by a subordinate id outside the user namespace).</exception>
    public static long WritableBytes(string snapshotDirectory)
    {
        foreach (string name in WritableDirectories)
        {
            if (TryOpen(Path.Combine(snapshotDirectory, name)) is { } root)
            {
                using (root)
                {
                    return TreeBytes(root);
                }
            }
        }

        return 0;
    }

    /// <summary>The size of the tree below <paramref name="root"/>, counted as <see cref="WritableBytes"/> does.</summary>
    public static long TreeBytes(DirectoryHandle root)
    {
        FileStatus top = root.Stat(string.Empty);
        var linked = new HashSet<ulong>();
        var pending = new Queue<string>();
        pending.Enqueue(string.Empty);
        long total = 0;
        while (pending.TryDequeue(out string? relative))
        {
            using DirectoryHandle? directory = OpenBelow(root, relative);
            if (directory is null)
            {
                continue;
            }

            FileStatus status = directory.Stat(string.Empty);
            if (status.DeviceMajor != top.DeviceMajor || status.DeviceMinor != top.DeviceMinor)
            {
                continue; // A mount point: not the layer's.
            }

            foreach (DirectoryEntry entry in directory.List())
            {
                if (directory.TryStat(entry.Name) is not { } file)
                {
                    continue;
                }

                if (file.Kind == FileKind.Directory)
                {
                    pending.Enqueue(relative.Length == 0 ? entry.Name : relative + "/" + entry.Name);
                }
                else if (file.Links <= 1 || linked.Add(file.Inode))
                {
                    total += file.Size;
                }
            }
        }

        return total;
    }

    /// <summary>A directory found by the walk; null when it was removed or replaced while we counted, or is too deep to name.</summary>
    private static DirectoryHandle? OpenBelow(DirectoryHandle root, string relative)
    {
        if (relative.Length == 0)
        {
            return root.Duplicate();
        }

        try
        {
            return root.TryOpenInRoot(relative);
        }
        catch (SystemCallException e) when (e.Errno is Errnos.ENAMETOOLONG or Errnos.ELOOP)
        {
            return null;
        }
    }

    private static DirectoryHandle? TryOpen(string path)
    {
        try
        {
            return DirectoryHandle.Open(path);
        }
        catch (SystemCallException e) when (e.Errno is Errnos.ENOENT or Errnos.ENOTDIR)
        {
            return null;
        }
    }
}
