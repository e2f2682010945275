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

    public void Dispose() => _fd.Dispose();
}
