using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Logs;

/// <summary>
/// Reads a container's log across rotation (<see cref="LogRotation"/>): first the rotated files still on disk,
/// oldest first, then the current file, and on each later <see cref="Read"/> what was added since, following the
/// path to each new file. Files are held open by descriptor, so a file renamed or replaced while it is read is
/// still read to its end, once: the writer finishes a file before another takes its name, so a path that names
/// another file than the one held means the held one is complete.
/// </summary>
public sealed class RotatedLogReader : IDisposable
{
    private readonly ContainerLogFile format;
    private readonly string path;
    private readonly int maxFiles;
    private readonly Queue<(FileStream File, long Offset)> older = new();
    private FileStream? current;
    private long offset;

    /// <param name="tail">Start at the last this many lines (counted across the files), or null for all of them.</param>
    public RotatedLogReader(string path, string driver, int maxFiles, int? tail)
    {
        this.path = path;
        this.maxFiles = Math.Max(1, maxFiles);
        format = new ContainerLogFile(path, driver);

        // Newest first: a rotation between two opens shows the same file under two names, and it is kept once.
        var files = new List<FileStream>();
        var seen = new HashSet<FileIdentity>();
        for (int generation = 0; generation < this.maxFiles; generation++)
        {
            FileStream? file = ContainerLogFile.TryOpen(LogRotation.FileName(path, generation));
            if (file is null)
            {
                continue;
            }

            if (!seen.Add(FileIdentity.Of(file.SafeFileHandle)))
            {
                file.Dispose();
                continue;
            }

            if (generation == 0)
            {
                current = file;
            }

            files.Add(file);
        }

        var starts = new long[files.Count];
        int first = files.Count - 1;
        if (tail is int lines)
        {
            int remaining = lines;
            for (int i = 0; i < files.Count; i++)
            {
                starts[i] = format.TailStart(files[i], remaining, out int found);
                first = i;
                remaining -= found;
                if (remaining <= 0)
                {
                    break;
                }
            }
        }

        for (int i = files.Count - 1; i >= 0; i--)
        {
            if (i > first)
            {
                files[i].Dispose();
            }
            else if (files[i] == current)
            {
                offset = starts[i];
            }
            else
            {
                older.Enqueue((files[i], starts[i]));
            }
        }
    }

    /// <summary>Passes every complete record not passed yet to <paramref name="action"/>, in the order they were logged.</summary>
    public void Read(LogRecordAction action)
    {
        while (older.TryDequeue(out (FileStream File, long Offset) file))
        {
            using (file.File)
            {
                format.Read(file.File, file.Offset, action);
            }
        }

        while (true)
        {
            if (current is null)
            {
                // Not written yet, or the moment of a rotation between the old file's rename and the new one's creation.
                current = ContainerLogFile.TryOpen(path);
                offset = 0;
                if (current is null)
                {
                    return;
                }
            }

            offset = format.Read(current, offset, action);
            FileIdentity held = FileIdentity.Of(current.SafeFileHandle);
            FileIdentity? named = FileIdentity.TryOf(path);
            if (named is null || named == held)
            {
                return;
            }

            // Rotated: the held file is complete. What it still holds comes first, then any files rotated out after
            // it (when the writer keeps several and rotated more than once since the last read), then the new one.
            format.Read(current, offset, action);
            current.Dispose();
            current = null;
            for (int generation = FindGeneration(held) - 1; generation >= 1; generation--)
            {
                using FileStream? between = ContainerLogFile.TryOpen(LogRotation.FileName(path, generation));
                if (between is not null)
                {
                    format.Read(between, 0, action);
                }
            }
        }
    }

    public void Dispose()
    {
        current?.Dispose();
        while (older.TryDequeue(out (FileStream File, long Offset) file))
        {
            file.File.Dispose();
        }
    }

    /// <summary>
    /// Where a rotated file now is (<c>PATH.N</c>); when it is gone (dropped as the oldest, or replaced when one file is
    /// kept) every rotated file there is is newer than it: <see cref="maxFiles"/>.
    /// </summary>
    private int FindGeneration(FileIdentity file)
    {
        for (int generation = 1; generation < maxFiles; generation++)
        {
            if (FileIdentity.TryOf(LogRotation.FileName(path, generation)) == file)
            {
                return generation;
            }
        }

        return maxFiles;
    }
}
