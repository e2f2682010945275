using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Rootless.Native;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket of the calling thread's network namespace (it stays bound to that namespace whatever
/// the thread does later). Unbound: the kernel assigns the port on the first send, and sends go to the kernel.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private readonly SafeFileHandle _fd;

    private NetlinkSocket(SafeFileHandle fd) => _fd = fd;

    public static NetlinkSocket Open()
    {
        SafeFileHandle fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw new SystemCallException("socket(AF_NETLINK)", null, errno);
        }

        return new NetlinkSocket(fd);
    }

    /// <summary>
    /// A socket of the calling thread's namespace that also receives the kernel's notifications of the
    /// multicast groups in <paramref name="groups"/> (the RTMGRP_* bits of rtnetlink.h).
    /// </summary>
    public static NetlinkSocket OpenSubscribed(uint groups)
    {
        NetlinkSocket socket = Open();
        var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK, Groups = groups };
        if (Libc.bind(socket._fd, &address, (uint)sizeof(Libc.SockaddrNl)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            socket.Dispose();
            throw new SystemCallException("bind(netlink)", null, errno);
        }

        return socket;
    }

    /// <summary>The descriptor, to poll for notifications.</summary>
    public SafeFileHandle Handle => _fd;

    public void Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* p = message)
        {
            while (Libc.send(_fd, p, (nuint)message.Length, 0) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errnos.EINTR)
                {
                    throw new SystemCallException("send(netlink)", null, errno);
                }
            }
        }
    }

    /// <summary>One datagram (netlink never splits a message across datagrams); its length.</summary>
    public int Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.recv(_fd, p, (nuint)buffer.Length, 0);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errnos.EINTR)
                {
                    throw new SystemCallException("recv(netlink)", null, errno);
                }
            }
        }
    }

    /// <summary>
    /// Reads and drops every queued datagram without blocking; true when there was any, or when the kernel
    /// dropped notifications because the queue was full (ENOBUFS): either way something changed.
    /// </summary>
    public bool Drain()
    {
        byte[] buffer = new byte[8192];
        bool any = false;
        fixed (byte* p = buffer)
        {
            while (true)
            {
                if (Libc.recv(_fd, p, (nuint)buffer.Length, Libc.MSG_DONTWAIT) >= 0)
                {
                    any = true;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errnos.ENOBUFS)
                {
                    any = true;
                }
                else if (errno == Errnos.EAGAIN)
                {
                    return any;
                }
                else if (errno != Errnos.EINTR)
                {
                    throw new SystemCallException("recv(netlink)", null, errno);
                }
            }
        }
    }

    public void Dispose() => _fd.Dispose();
}
