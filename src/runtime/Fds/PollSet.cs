using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Fds;

/// <summary>poll(2) over a set of descriptors that is rebuilt each round by the caller.</summary>
public sealed unsafe class PollSet
{
    private readonly List<Libc.PollFd> entries = [];
    private readonly List<SafeHandle> handles = [];

    public int Add(SafeHandle handle, bool readable = true, bool writable = false)
    {
        short events = 0;
        if (readable)
        {
            events |= Libc.POLLIN;
        }

        if (writable)
        {
            events |= Libc.POLLOUT;
        }

        entries.Add(new Libc.PollFd { Fd = (int)handle.DangerousGetHandle(), Events = events });
        handles.Add(handle);
        return entries.Count - 1;
    }

    public void Clear()
    {
        entries.Clear();
        handles.Clear();
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> (-1 forever); returns how many entries are ready.</summary>
    public int Wait(int timeoutMilliseconds)
    {
        Span<Libc.PollFd> span = CollectionsMarshal.AsSpan(entries);
        fixed (Libc.PollFd* p = span)
        {
            while (true)
            {
                int n = Libc.poll(p, (nuint)span.Length, timeoutMilliseconds);
                if (n >= 0)
                {
                    return n;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errnos.EINTR)
                {
                    throw new SystemCallException("poll", null, errno);
                }
            }
        }
    }

    /// <summary>Readable, or hung up / in error (a read then tells which).</summary>
    public bool Ready(int index) => (entries[index].Revents & (Libc.POLLIN | Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0;

    /// <summary>Writable (a connecting socket: connected, or failed, which the write then tells).</summary>
    public bool Writable(int index) => (entries[index].Revents & (Libc.POLLOUT | Libc.POLLHUP | Libc.POLLERR)) != 0
        && (entries[index].Events & Libc.POLLOUT) != 0;

    public bool HungUp(int index) => (entries[index].Revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0
        && (entries[index].Revents & Libc.POLLIN) == 0;

    public static bool WaitOne(SafeHandle handle, short events, int timeoutMilliseconds)
    {
        var entry = new Libc.PollFd { Fd = (int)handle.DangerousGetHandle(), Events = events };
        while (true)
        {
            int n = Libc.poll(&entry, 1, timeoutMilliseconds);
            if (n >= 0)
            {
                return n > 0;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errnos.EINTR)
            {
                throw new SystemCallException("poll", null, errno);
            }
        }
    }

    /// <summary>Waits until a pidfd or other descriptor is readable.</summary>
    public static bool WaitReadable(SafeHandle handle, int timeoutMilliseconds) => WaitOne(handle, Libc.POLLIN, timeoutMilliseconds);

    /// <summary>Waits until a descriptor (a socket with room in its send buffer) is writable.</summary>
    public static bool WaitWritable(SafeHandle handle, int timeoutMilliseconds) => WaitOne(handle, Libc.POLLOUT, timeoutMilliseconds);
}
