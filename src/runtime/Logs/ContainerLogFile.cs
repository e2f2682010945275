namespace Skiff.Runtime.Logs;

/// <summary>
/// Reads a container's log file record by record, in bounded memory, as it grows: the file may hold
/// hundreds of megabytes (every line the container printed plus a header), so nothing loads or decodes it
/// whole. A trailing line without its newline is not a record yet; it is read again when it is complete.
/// </summary>
public sealed class ContainerLogFile(string path, string driver)
{
    private const int ChunkSize = 1 << 20;

    private const int FirstTailWindow = 1 << 16;

    /// <summary>Passes every complete record from <paramref name="offset"/> on to <paramref name="action"/>.</summary>
    /// <returns>The offset just past the last complete record (where the next read starts).</returns>
    public long Read(long offset, LogRecordAction action)
    {
        using FileStream? file = TryOpen(path);
        return file is null ? offset : Read(file, offset, action);
    }

    /// <summary><see cref="Read(long, LogRecordAction)"/> of a log file already open (one this object's path named once).</summary>
    public long Read(FileStream file, long offset, LogRecordAction action)
    {
        file.Seek(offset, SeekOrigin.Begin);
        byte[] buffer = new byte[ChunkSize];
        int kept = 0;
        int n;
        while ((n = file.Read(buffer, kept, buffer.Length - kept)) > 0)
        {
            int filled = kept + n;
            int end = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n');
            if (end < 0)
            {
                kept = filled;
                if (kept == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                continue;
            }

            ReadOnlySpan<byte> lines = buffer.AsSpan(0, end);
            while (true)
            {
                int newline = lines.IndexOf((byte)'\n');
                ReadOnlySpan<byte> line = newline < 0 ? lines : lines[..newline];
                if (ContainerLogReader.TryParse(driver, line, out LogRecord record))
                {
                    action(record);
                }

                if (newline < 0)
                {
                    break;
                }

                lines = lines[(newline + 1)..];
            }

            offset += end + 1;
            kept = filled - (end + 1);
            buffer.AsSpan(end + 1, kept).CopyTo(buffer);
        }

        return offset;
    }

    /// <summary>
    /// Where the records of the last <paramref name="lines"/> lines begin (a line written in several partial
    /// records counts once, with all of its records; an unfinished last line counts too), found by reading
    /// back from the end in growing windows.
    /// </summary>
    public long TailStart(int lines)
    {
        using FileStream? file = TryOpen(path);
        return file is null ? 0 : TailStart(file, lines, out _);
    }

    /// <summary><see cref="TailStart(int)"/> in a file already open.</summary>
    /// <param name="found">How many lines the file holds when fewer than <paramref name="lines"/> (then the start is 0), else <paramref name="lines"/>.</param>
    public long TailStart(FileStream file, int lines, out int found)
    {
        found = lines;
        long length = file.Length;
        for (long window = FirstTailWindow; ; window *= 2)
        {
            long start = Math.Max(0, length - window);
            byte[] bytes = new byte[length - start];
            file.Seek(start, SeekOrigin.Begin);
            file.ReadExactly(bytes);
            var records = new List<(long Offset, bool Partial)>();
            int at = 0;
            if (start > 0)
            {
                // The window starts inside a record: its first whole record follows the first newline.
                int first = Array.IndexOf(bytes, (byte)'\n');
                at = first < 0 ? bytes.Length : first + 1;
            }

            while (at < bytes.Length)
            {
                int newline = Array.IndexOf(bytes, (byte)'\n', at);
                if (newline < 0)
                {
                    break;
                }

                if (ContainerLogReader.TryParse(driver, bytes.AsSpan(at, newline - at), out LogRecord record))
                {
                    records.Add((start + at, record.Partial));
                }

                at = newline + 1;
            }

            long completeEnd = start + at;
            int index = records.Count;
            int seen = 0;
            while (index > 0)
            {
                // A line ends with a record that is not partial, or with the last record: a line the container
                // has not finished yet is the last line (docker's count; podman 4.3 prints it glued to the one before).
                if (!records[index - 1].Partial || index == records.Count)
                {
                    if (seen == lines)
                    {
                        return index < records.Count ? records[index].Offset : completeEnd;
                    }

                    seen++;
                }

                index--;
            }

            if (start == 0)
            {
                found = seen;
                return 0;
            }
        }
    }

    /// <summary>The file at <paramref name="path"/> open for reading, or null when there is none.</summary>
    public static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
