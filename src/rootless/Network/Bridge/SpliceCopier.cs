using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Rootless.Native;
using Skiff.Runtime.Fds;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Copies one direction of a forwarded connection inside the kernel: splice(2) moves what the source socket
/// received into a pipe and from the pipe into the destination socket, so the bytes never pass through user
/// space (a TCP socket hands its buffers' pages to the pipe). The sockets are non-blocking: when a socket is
/// not ready the copier retries for a few microseconds, yielding the CPU, before it sleeps in poll(2). On an
/// idle machine the peer's next chunk or acknowledgement mostly comes within that time, and the copier then
/// skips a sleep and a wake-up per chunk (as Go's scheduler, spinning before it parks, does for podman's
/// rootlessport); on a busy one the yield hands the CPU to whoever waits for it.
/// </summary>
public sealed unsafe class SpliceCopier : IDisposable
{
    /// <summary>A larger pipe moves more per call; 1 MiB is the default limit an unprivileged process may ask for.</summary>
    private const int PipeSize = 1 << 20;

    /// <summary>How long a copier retries a socket that is not ready before it sleeps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    private readonly SafeFileHandle _read;
    private readonly SafeFileHandle _write;
    private readonly nuint _chunk;

    public SpliceCopier()
    {
        (_read, _write) = Descriptors.Pipe();
        // A pipe keeps its default 64 KiB when the limit is lower (or pipe buffers are exhausted): slower, not wrong.
        int size = Libc.fcntl(_write, Libc.F_SETPIPE_SZ, PipeSize);
        _chunk = (nuint)(size > 0 ? size : 64 * 1024);
    }

    /// <summary>Copies until <paramref name="from"/> reaches end of stream; returns the number of bytes moved.</summary>
    /// <remarks>Both sockets must be non-blocking.</remarks>
    /// <exception cref="SystemCallException">A socket failed (reset by its peer, or the other side closed).</exception>
    public long Copy(SafeHandle from, SafeHandle to)
    {
        long total = 0;
        while (true)
        {
            nint received = Splice(from, _write, _chunk, from, waitReadable: true);
            if (received == 0)
            {
                return total;
            }

            // Everything taken from the socket is in the pipe: drain it completely before reading again.
            nint pending = received;
            while (pending > 0)
            {
                pending -= Splice(_read, to, (nuint)pending, to, waitReadable: false);
            }

            total += received;
        }
    }

    public void Dispose()
    {
        _read.Dispose();
        _write.Dispose();
    }

    /// <summary>One splice that moves something (or reports end of stream), waiting for <paramref name="socket"/> as needed.</summary>
    private nint Splice(SafeHandle from, SafeHandle to, nuint length, SafeHandle socket, bool waitReadable)
    {
        long spinUntil = 0;
        while (true)
        {
            nint n = Libc.splice(from, null, to, null, length, Libc.SPLICE_F_MOVE | Libc.SPLICE_F_NONBLOCK);
            if (n >= 0)
            {
                return n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errnos.EAGAIN)
            {
                long now = Stopwatch.GetTimestamp();
                if (spinUntil == 0)
                {
                    spinUntil = now + SpinTicks;
                }

                if (now < spinUntil)
                {
                    Libc.sched_yield();
                }
                else
                {
                    _ = waitReadable ? PollSet.WaitReadable(socket, -1) : PollSet.WaitWritable(socket, -1);
                    spinUntil = 0;
                }
            }
            else if (errno != Errnos.EINTR)
            {
                throw new SystemCallException("splice", null, errno);
            }
        }
    }
}
