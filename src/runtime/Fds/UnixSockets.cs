using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Fds;

/// <summary>
/// Unix sockets on raw descriptors: SOCK_SEQPACKET keeps message boundaries (one attach frame per packet),
/// and SCM_RIGHTS receives the pty master an OCI runtime sends to its --console-socket.
/// </summary>
public static unsafe class UnixSockets
{
    /// <summary>sun_path is 108 bytes including the terminating NUL.</summary>
    public const int MaxPathLength = 107;

    public static SafeFileHandle Listen(string path, bool seqPacket)
    {
        SafeFileHandle socket = Create(seqPacket);
        try
        {
            byte[] address = Address(path);
            fixed (byte* a = address)
            {
                if (Libc.bind((int)socket.DangerousGetHandle(), a, (uint)address.Length) != 0)
                {
                    throw new SystemCallException("bind", path, Marshal.GetLastPInvokeError());
                }
            }

            if (Libc.listen((int)socket.DangerousGetHandle(), 16) != 0)
            {
                throw new SystemCallException("listen", path, Marshal.GetLastPInvokeError());
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static SafeFileHandle Connect(string path, bool seqPacket)
    {
        SafeFileHandle socket = Create(seqPacket);
        byte[] address = Address(path);
        fixed (byte* a = address)
        {
            while (Libc.connect((int)socket.DangerousGetHandle(), a, (uint)address.Length) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errnos.EINTR)
                {
                    socket.Dispose();
                    throw new SystemCallException("connect", path, errno);
                }
            }
        }

        return socket;
    }

    public static (SafeFileHandle First, SafeFileHandle Second) SeqPacketPair()
    {
        int* fds = stackalloc int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0, fds) != 0)
        {
            throw new SystemCallException("socketpair", null, Marshal.GetLastPInvokeError());
        }

        return (new SafeFileHandle(fds[0], ownsHandle: true), new SafeFileHandle(fds[1], ownsHandle: true));
    }

    public static SafeFileHandle? TryAccept(SafeHandle listener)
    {
        int fd = Libc.accept4((int)listener.DangerousGetHandle(), null, null, Libc.SOCK_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errnos.EAGAIN or Errnos.EINTR or 103)
            {
                return null;
            }

            throw new SystemCallException("accept4", null, errno);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Sends one packet; false when the peer is gone.</summary>
    public static bool Send(SafeHandle socket, ReadOnlySpan<byte> packet)
    {
        fixed (byte* p = packet)
        {
            while (true)
            {
                nint n = Libc.send((int)socket.DangerousGetHandle(), p, (nuint)packet.Length, Libc.MSG_NOSIGNAL);
                if (n >= 0)
                {
                    return true;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errnos.EINTR)
                {
                    continue;
                }

                if (errno == Errnos.EAGAIN)
                {
                    PollSet.WaitOne(socket, Libc.POLLOUT, -1);
                    continue;
                }

                return false;
            }
        }
    }

    /// <summary>Ends both directions: a <see cref="Receive"/> blocked on another thread returns 0. Errors are ignored (the peer may be gone).</summary>
    public static void Shutdown(SafeHandle socket) => Libc.shutdown((int)socket.DangerousGetHandle(), Libc.SHUT_RDWR);

    /// <summary>Receives one packet: its length, 0 when the peer closed (or errored).</summary>
    public static int Receive(SafeHandle socket, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.recv((int)socket.DangerousGetHandle(), p, (nuint)buffer.Length, 0);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errnos.EINTR)
                {
                    continue;
                }

                return 0;
            }
        }
    }

    /// <summary>Receives a descriptor passed with SCM_RIGHTS (the runtime's pty master).</summary>
    public static SafeFileHandle ReceiveDescriptor(SafeHandle socket)
    {
        byte* data = stackalloc byte[256];
        const int controlSize = 64;
        byte* control = stackalloc byte[controlSize];
        var iov = new Libc.IoVec { Base = data, Length = 256 };
        var message = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = controlSize };
        nint n;
        do
        {
            n = Libc.recvmsg((int)socket.DangerousGetHandle(), &message, Libc.MSG_CMSG_CLOEXEC);
        }
        while (n < 0 && Marshal.GetLastPInvokeError() == Errnos.EINTR);
        if (n < 0)
        {
            throw new SystemCallException("recvmsg", null, Marshal.GetLastPInvokeError());
        }

        // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } followed by the fds.
        if (message.ControlLength >= 20)
        {
            int level = *(int*)(control + 8);
            int type = *(int*)(control + 12);
            if (level == Libc.SOL_SOCKET && type == Libc.SCM_RIGHTS)
            {
                return new SafeFileHandle(*(int*)(control + 16), ownsHandle: true);
            }
        }

        throw SkiffException.Internal("the OCI runtime connected to the console socket but sent no terminal");
    }

    /// <summary>A datagram socket bound at <paramref name="path"/> (sd_notify's kind: one message per datagram).</summary>
    public static SafeFileHandle BindDatagram(string path)
    {
        SafeFileHandle socket = Create(Libc.SOCK_DGRAM);
        byte[] address = Address(path);
        fixed (byte* a = address)
        {
            if (Libc.bind((int)socket.DangerousGetHandle(), a, (uint)address.Length) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                socket.Dispose();
                throw new SystemCallException("bind", path, errno);
            }
        }

        return socket;
    }

    /// <summary>
    /// Sends one datagram to the socket at <paramref name="path"/> and closes the socket it used; a path starting with
    /// '@' names an abstract socket, as NOTIFY_SOCKET may (sd_notify(3)).
    /// </summary>
    public static void SendDatagram(string path, ReadOnlySpan<byte> message)
    {
        using SafeFileHandle socket = Create(Libc.SOCK_DGRAM);
        byte[] address = path.StartsWith('@') ? AbstractAddress(path[1..]) : Address(path);
        fixed (byte* a = address)
        {
            while (Libc.connect((int)socket.DangerousGetHandle(), a, (uint)address.Length) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errnos.EINTR)
                {
                    throw new SystemCallException("connect", path, errno);
                }
            }
        }

        fixed (byte* m = message)
        {
            while (Libc.send((int)socket.DangerousGetHandle(), m, (nuint)message.Length, Libc.MSG_NOSIGNAL) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errnos.EINTR)
                {
                    throw new SystemCallException("send", path, errno);
                }
            }
        }
    }

    private static SafeFileHandle Create(bool seqPacket) => Create(seqPacket ? Libc.SOCK_SEQPACKET : Libc.SOCK_STREAM);

    private static SafeFileHandle Create(int type)
    {
        int fd = Libc.socket(Libc.AF_UNIX, type | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new SystemCallException("socket", null, Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static byte[] Address(string path)
    {
        byte[] name = System.Text.Encoding.UTF8.GetBytes(path);
        if (name.Length > MaxPathLength)
        {
            throw SkiffException.InvalidArgument(
                $"socket path {path} is longer than {MaxPathLength} bytes",
                "use a shorter --runroot");
        }

        byte[] address = new byte[2 + name.Length + 1];
        address[0] = (byte)Libc.AF_UNIX;
        name.CopyTo(address, 2);
        return address;
    }

    /// <summary>An abstract socket's address: a NUL, then the name, its length counted without a terminating NUL (unix(7)).</summary>
    private static byte[] AbstractAddress(string name)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(name);
        if (bytes.Length > MaxPathLength)
        {
            throw SkiffException.InvalidArgument($"abstract socket name @{name} is longer than {MaxPathLength} bytes");
        }

        byte[] address = new byte[3 + bytes.Length];
        address[0] = (byte)Libc.AF_UNIX;
        bytes.CopyTo(address, 3);
        return address;
    }
}
