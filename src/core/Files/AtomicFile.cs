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
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
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
