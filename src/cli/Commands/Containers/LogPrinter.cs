using System.Text;
using Skiff.Runtime.Logs;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// Writes log records to stdout or stderr by their stream, through a buffer per stream (a log may hold
/// millions of short lines; one write(2) each would cost more than reading them). Switching streams
/// flushes the other one first, so a terminal showing both sees them in the order they were logged.
/// Each line starts with its <see cref="LogSource"/>'s colour and prefix; the rest of a line logged in
/// several records (partial ones) gets no second prefix.
/// </summary>
public sealed class LogPrinter(Stream stdout, Stream stderr, bool timestamps) : IDisposable
{
    private readonly BufferedStream output = new(stdout, 1 << 16);

    private readonly BufferedStream errors = new(stderr, 1 << 16);

    /// <summary>The source and stream whose partial line is open on each output: its next record continues it.</summary>
    private readonly Dictionary<(LogSource, bool), bool> continuing = [];

    private BufferedStream? last;

    public void Print(LogRecord record, LogSource source)
    {
        BufferedStream target = record.IsStderr ? errors : output;
        if (last is not null && last != target)
        {
            last.Flush();
        }

        last = target;
        target.Write(source.ColorStart);
        if (!continuing.GetValueOrDefault((source, record.IsStderr)))
        {
            target.Write(source.Prefix);
            if (timestamps)
            {
                Span<byte> time = stackalloc byte[64];
                int length = Encoding.ASCII.GetBytes(LogDrivers.Timestamp(record.Time), time);
                target.Write(time[..length]);
                target.WriteByte((byte)' ');
            }
        }

        target.Write(record.Content);
        target.Write(source.ColorEnd);
        continuing[(source, record.IsStderr)] = record.Partial;
        if (!record.Partial)
        {
            target.WriteByte((byte)'\n');
        }
    }

    public void Flush()
    {
        output.Flush();
        errors.Flush();
    }

    public void Dispose()
    {
        Flush();
        output.Dispose();
        errors.Dispose();
    }
}
