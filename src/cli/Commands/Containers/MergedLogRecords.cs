using Skiff.Runtime.Logs;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// Collects the records several containers' readers pass in one round and hands them on in the order they were
/// logged (by time; records of the same time keep the order of the containers given, then their own). podman 4.3
/// reads each container in a goroutine of its own and prints whichever comes first; skiff's order is repeatable.
/// </summary>
public sealed class MergedLogRecords
{
    private readonly List<Entry> entries = [];

    /// <summary>The action a reader is given for the container at <paramref name="source"/>.</summary>
    public LogRecordAction Collect(LogSource source) => record =>
        entries.Add(new Entry(record.Time, record.IsStderr, record.Content.ToArray(), record.Partial, source, entries.Count));

    /// <summary>Passes every record collected so far, in time order, to <paramref name="print"/>, and forgets them.</summary>
    public void Drain(Action<LogRecord, LogSource> print)
    {
        entries.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sequence.CompareTo(b.Sequence));
        foreach (Entry entry in entries)
        {
            print(new LogRecord(entry.Time, entry.IsStderr, entry.Content, entry.Partial), entry.Source);
        }

        entries.Clear();
    }

    private sealed record Entry(DateTimeOffset Time, bool IsStderr, byte[] Content, bool Partial, LogSource Source, int Sequence);
}
