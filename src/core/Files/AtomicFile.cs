using Skiff.Core.Errors;
using Skiff.Core.Native;

namespace Skiff.Core.Files;

/// <summary>Crash-safe file replacement: write a temp file beside the target, fsync, rename, fsync the directory.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        string directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        string temp = SiblingName(path, "tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            SyncDirectory(directory);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Replaces a file by rename without fsync: readers and a writer killed at any point see the old or the
    /// new content, but a power loss may lose the change. For records rewritten often whose loss the
    /// next boot makes harmless (a container's run state, a bundle regenerated at each start): an fsync
    /// costs 0.3–40 ms here, depending on what else writes to the disk. Replacing an existing file this
    /// way also survives a power loss on ext4 and btrfs, which flush the data of a file renamed over another.
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        string temp = SiblingName(path, "tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(content);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// <see cref="Replace"/> that does not free the old content's blocks now: the old file keeps a second name
    /// (returned, for the caller to delete when waiting no longer matters). Filesystems mounted with
    /// <c>discard</c> and no journal (ext4 here) discard freed blocks synchronously, 0.2–40 ms per file
    /// depending on what else uses the disk. Returns null when there was no old file to keep.
    /// </summary>
    public static string? ReplaceKeepingOld(string path, ReadOnlySpan<byte> content)
    {
        string kept = SiblingName(path, "old");
        bool linked = Libc.link(path, kept) == 0;
        try
        {
            Replace(path, content);
        }
        catch
        {
            if (linked)
            {
                File.Delete(kept);
            }

            throw;
        }

        return linked ? kept : null;
    }

    /// <summary>A hidden name beside <paramref name="path"/> no other writer picks: <c>.NAME.PID.GUID.SUFFIX</c>.</summary>
    private static string SiblingName(string path, string suffix) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.{suffix}");

    /// <summary>fsync a directory so a rename into it survives a crash.</summary>
    public static void SyncDirectory(string directory)
    {
        int errno = Libc.FsyncDirectory(directory);
        if (errno != 0)
        {
            throw new SystemCallException("fsync", directory, errno);
        }
    }
}
