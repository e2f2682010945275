using System.Runtime.ExceptionServices;
using Skiff.Images.Archives;

namespace Skiff.Images.Unpack;

/// <summary>
/// Reads an inner stream on a thread of its own, a few chunks ahead of the consumer, so that the work
/// inside it (decompression and hashing of a layer) runs while the consumer makes syscalls (writing the
/// files). Errors of the inner stream are rethrown to the consumer at its next read. Disposing stops
/// the producer and waits for it before the inner stream is disposed.
/// </summary>
public sealed class ReadAheadStream : ForwardReadStream
{
    private const int ChunkSize = 256 * 1024;
    private const int MaxQueued = 8;

    private readonly Stream inner;
    private readonly Queue<Chunk> filled = new();
    private readonly Stack<byte[]> free = new();
    private readonly object gate = new();
    private readonly Thread producer;
    private Chunk? current;
    private int currentOffset;
    private bool finished;
    private bool stopping;
    private ExceptionDispatchInfo? failure;

    public ReadAheadStream(Stream inner)
    {
        this.inner = inner;
        producer = new Thread(Produce) { IsBackground = true, Name = "layer read-ahead" };
        producer.Start();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (current is null || currentOffset == current.Length)
        {
            if (current is not null)
            {
                Recycle(current.Buffer);
                current = null;
            }

            current = Next();
            currentOffset = 0;
            if (current is null)
            {
                return 0;
            }
        }

        int count = Math.Min(buffer.Length, current.Length - currentOffset);
        current.Buffer.AsSpan(currentOffset, count).CopyTo(buffer);
        currentOffset += count;
        return count;
    }

    /// <summary>Reads and discards the rest, so that everything the inner stream yields has passed through it.</summary>
    public void Drain()
    {
        while (Next() is { } chunk)
        {
            Recycle(chunk.Buffer);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (gate)
            {
                stopping = true;
                Monitor.PulseAll(gate);
            }

            producer.Join();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private Chunk? Next()
    {
        lock (gate)
        {
            while (filled.Count == 0 && !finished)
            {
                Monitor.Wait(gate);
            }

            if (filled.Count > 0)
            {
                Chunk chunk = filled.Dequeue();
                Monitor.PulseAll(gate);
                return chunk;
            }

            failure?.Throw();
            return null;
        }
    }

    private void Recycle(byte[] buffer)
    {
        lock (gate)
        {
            free.Push(buffer);
        }
    }

    private void Produce()
    {
        try
        {
            while (true)
            {
                byte[] buffer;
                lock (gate)
                {
                    while (filled.Count >= MaxQueued && !stopping)
                    {
                        Monitor.Wait(gate);
                    }

                    if (stopping)
                    {
                        return;
                    }

                    buffer = free.Count > 0 ? free.Pop() : new byte[ChunkSize];
                }

                int length = inner.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                lock (gate)
                {
                    if (length > 0)
                    {
                        filled.Enqueue(new Chunk(buffer, length));
                    }

                    if (length < buffer.Length)
                    {
                        finished = true;
                    }

                    Monitor.PulseAll(gate);
                    if (finished)
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception e)
        {
            lock (gate)
            {
                failure = ExceptionDispatchInfo.Capture(e);
                finished = true;
                Monitor.PulseAll(gate);
            }
        }
    }

    private sealed record Chunk(byte[] Buffer, int Length);
}
