namespace Skiff.Runtime.Mounts;

/// <summary>
/// Copies a directory tree of the container's root into another directory (tmpfs copy-up). The implementation lives
/// with the fd-relative tree code that unpacks layers (Program.cs wires it in), because the runtime does not reference
/// the image layer.
/// </summary>
public interface ITreeCopier
{
    /// <summary>
    /// Copies the contents and the metadata of <paramref name="source"/> (a directory of the container's root
    /// <paramref name="root"/>) into the empty directory <paramref name="target"/>: modes, owners, times, symlinks as
    /// links (never followed), hard links, device nodes where mknod is permitted (skipped otherwise) and xattrs.
    /// <paramref name="source"/> and <paramref name="target"/> are <c>/proc/self/fd/N</c> names of directories the caller
    /// holds open; everything below the source is reached with <c>*at</c> calls that never follow a symlink, so hostile
    /// image content cannot make the copy read or write outside the two trees. Only the root's own filesystem is copied:
    /// nothing from a source on another one (a mount the container got earlier, such as /dev's tmpfs, or the image's
    /// directory a symlink to /proc or /sys), and directories other filesystems are mounted on below the source are
    /// copied empty. A full target (ENOSPC) fails the copy.
    /// </summary>
    void Copy(string root, string source, string target);
}
