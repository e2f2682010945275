using System.Text;
using Skiff.Runtime.Logs;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// Writes log records to stdout or stderr by their stream, through a buffer per stream (a log may hold
/// millions of short lines; one write(2) each would cost more than reading them). Switching streams
/// flushes the other one first, so a terminal showing both sees them in the order they were logged.
/// </summary>
public sealed class LogPrinter(Stream stdout, Stream stderr, bool timestamps) : IDisposable
{
    private readonly BufferedStream output = new(stdout, 1 << 16);

    private readonly BufferedStream errors = new(stderr, 1 << 16);

    private BufferedStream? last;

    public void Print(LogRecord record)
    {
        BufferedStream target = record.IsStderr ? errors : output;
        if (last is not null && last != target)
        {
            last.Flush();
        }

        last = target;
        if (timestamps)
        {
            Span<byte> time = stackalloc byte[64];
            int length = Encoding.ASCII.GetBytes(LogDrivers.Timestamp(record.Time), time);
            target.Write(time[..length]);
            target.WriteByte((byte)' ');
        }

        target.Write(record.Content);
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
