using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Rootless.Native;
using Skiff.Runtime.Fds;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Copies one direction of a forwarded connection inside the kernel: splice(2) moves what the source socket
/// received into a pipe and from the pipe into the destination socket, so the bytes never pass through user
/// space (a TCP socket hands its buffers' pages to the pipe). Both sockets must be blocking.
/// </summary>
public sealed unsafe class SpliceCopier : IDisposable
{
    /// <summary>A larger pipe moves more per call; 1 MiB is the default limit an unprivileged process may ask for.</summary>
    private const int PipeSize = 1 << 20;

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
    /// <exception cref="SystemCallException">A socket failed (reset by its peer, or the other side closed).</exception>
    public long Copy(SafeHandle from, SafeHandle to)
    {
        long total = 0;
        while (true)
        {
            nint received = Splice(from, _write);
            if (received == 0)
            {
                return total;
            }

            // Everything taken from the socket is in the pipe: drain it completely before reading again.
            nint pending = received;
            while (pending > 0)
            {
                pending -= Splice(_read, to, (nuint)pending);
            }

            total += received;
        }
    }

    public void Dispose()
    {
        _read.Dispose();
        _write.Dispose();
    }

    private nint Splice(SafeHandle from, SafeHandle to, nuint? length = null)
    {
        while (true)
        {
            nint n = Libc.splice(from, null, to, null, length ?? _chunk, Libc.SPLICE_F_MOVE);
            if (n >= 0)
            {
                return n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
            {
                throw new SystemCallException("splice", null, errno);
            }
        }
    }
}
