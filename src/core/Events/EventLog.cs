using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Core.Native;

namespace Skiff.Core.Events;

/// <summary>
/// The store's event log: one file of JSON lines (podman's <c>events_logger = "file"</c> format), written by every
/// skiff process that does something (CLIs, monitors). Each event is one write(2) on an O_APPEND descriptor, so lines
/// from concurrent writers never interleave. Appends share a lock that the rotation takes alone: past
/// <paramref name="maxBytes"/> the older half of the file is dropped (the file is replaced by rename, so a reader
/// following it reopens it).
/// </summary>
/// <param name="directory">The log's directory (ROOT/events).</param>
public sealed class EventLog(string directory, long maxBytes = EventLog.DefaultMaxBytes)
{
    /// <summary>podman's events_logfile_max_size default, 1 MB.</summary>
    public const long DefaultMaxBytes = 1_000_000;

    /// <summary>The log of the store at <paramref name="root"/> (ROOT/events/events.log).</summary>
    public static EventLog ForRoot(string root) => new(Path.Combine(root, "events"));

    public string FilePath => Path.Combine(directory, "events.log");

    private string LockPath => Path.Combine(directory, "events.log.lock");

    /// <summary>
    /// Appends <paramref name="engineEvent"/>. An event that cannot be written is lost, never the operation's failure
    /// (podman logs and goes on, too).
    /// </summary>
    public void Write(EngineEvent engineEvent) => Write([engineEvent]);

    /// <summary>Appends events that happened together, in one write.</summary>
    public void Write(IReadOnlyList<EngineEvent> events)
    {
        try
        {
            Append([.. events.SelectMany(EventJson.Line)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SkiffException)
        {
        }
    }

    private void Append(byte[] line)
    {
        long size;
        using (FileLock.Acquire(LockPath, shared: true))
        {
            using SafeFileHandle file = Libc.OpenAppend(FilePath, 0x180);
            WriteAll(file, line);
            size = RandomAccess.GetLength(file);
        }

        if (size > maxBytes)
        {
            Rotate();
        }
    }

    private unsafe void WriteAll(SafeFileHandle file, byte[] line)
    {
        // One write: O_APPEND places it whole at the end. A regular file takes it whole unless the disk is full.
        fixed (byte* data = line)
        {
            nint written;
            while ((written = Libc.write(file, data, (nuint)line.Length)) < 0 && Marshal.GetLastPInvokeError() == Errnos.EINTR)
            {
            }

            if (written < 0)
            {
                throw new SystemCallException("write", FilePath, Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>Keeps the newer half of the file (whole lines), under the lock no append holds meanwhile.</summary>
    private void Rotate()
    {
        using (FileLock.Acquire(LockPath))
        {
            byte[] content = File.ReadAllBytes(FilePath);
            if (content.Length <= maxBytes)
            {
                return; // another writer rotated first
            }

            int start = content.Length - (int)(maxBytes / 2);
            int newline = Array.IndexOf(content, (byte)'\n', start);
            start = newline < 0 ? content.Length : newline + 1;
            string temp = FilePath + ".tmp";
            File.WriteAllBytes(temp, content.AsSpan(start).ToArray());
            File.Move(temp, FilePath, overwrite: true);
        }
    }

    /// <summary>The events in the file, oldest first; lines that are not events (a torn write after a crash) are skipped.</summary>
    public List<EngineEvent> ReadAll()
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(FilePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        int position = 0;
        return Parse(content, ref position);
    }

    /// <summary>The whole lines of <paramref name="content"/> from <paramref name="position"/>; leaves it after the last whole line.</summary>
    public static List<EngineEvent> Parse(ReadOnlySpan<byte> content, ref int position)
    {
        var events = new List<EngineEvent>();
        while (position < content.Length)
        {
            int end = content[position..].IndexOf((byte)'\n');
            if (end < 0)
            {
                break; // a line still being written
            }

            if (EventJson.TryParse(content.Slice(position, end), out EngineEvent? parsed))
            {
                events.Add(parsed);
            }

            position += end + 1;
        }

        return events;
    }
}
