using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;

namespace Skiff.Cli.Output;

/// <summary>
/// skiff's stdout or stderr as a plain write-only stream. .NET's console streams initialise the terminal on
/// their first write when stdin is one: they write terminfo's keypad_xmit (<c>ESC [?1h ESC =</c>, cursor keys
/// in application mode) and never undo it, so every skiff command typed in a terminal left it changed, and a
/// detach from <c>run -it</c> printed it into the session (dotnet/runtime, formerly corefx#32805). podman and
/// docker write nothing of the kind. As the console streams do, a reader that went away (EPIPE) drops the
/// rest silently: <c>skiff ps | head -1</c> is not an error.
/// </summary>
public sealed class StandardStream(int fd) : Stream
{
    private readonly SafeFileHandle handle = new(fd, ownsHandle: false);
    private bool readerGone;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>A text writer over fd 1 or 2 for <see cref="Console.SetOut"/>/<see cref="Console.SetError"/>: UTF-8 without a
    /// byte order mark, flushed after every write as the console's own writers are.</summary>
    public static TextWriter Writer(int fd) => new StreamWriter(new StandardStream(fd), new UTF8Encoding(false), 4096) { AutoFlush = true };

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!readerGone && !buffer.IsEmpty)
        {
            readerGone = !Descriptors.WriteAll(handle, buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
