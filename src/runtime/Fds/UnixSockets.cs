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
        Span<byte> payload = stackalloc byte[256];
        (_, IReadOnlyList<SafeFileHandle> received) = ReceiveDescriptors(socket, payload, 1);
        return received.Count == 1
            ? received[0]
            : throw SkiffException.Internal("the OCI runtime connected to the console socket but sent no terminal");
    }

    /// <summary>The most descriptors <see cref="SendDescriptors"/> passes in one message.</summary>
    public const int MaxDescriptors = 8;

    /// <summary>
    /// Sends <paramref name="payload"/> (at least one byte) with <paramref name="descriptors"/> attached (SCM_RIGHTS).
    /// On a stream socket the receiver must read exactly the payload's length with <see cref="ReceiveDescriptors"/>.
    /// </summary>
    public static void SendDescriptors(SafeHandle socket, ReadOnlySpan<byte> payload, IReadOnlyList<SafeHandle> descriptors)
    {
        if (payload.IsEmpty || descriptors.Count is 0 or > MaxDescriptors)
        {
            throw new ArgumentException("one payload byte and 1 to 8 descriptors are needed", nameof(descriptors));
        }

        // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } followed by the ints, padded to 8 bytes.
        int length = sizeof(nuint) + 8 + (4 * descriptors.Count);
        byte* control = stackalloc byte[ControlSpace];
        new Span<byte>(control, ControlSpace).Clear();
        *(nuint*)control = (nuint)length;
        *(int*)(control + sizeof(nuint)) = Libc.SOL_SOCKET;
        *(int*)(control + sizeof(nuint) + 4) = Libc.SCM_RIGHTS;
        for (int i = 0; i < descriptors.Count; i++)
        {
            *(int*)(control + sizeof(nuint) + 8 + (4 * i)) = (int)descriptors[i].DangerousGetHandle();
        }

        fixed (byte* data = payload)
        {
            var iov = new Libc.IoVec { Base = data, Length = (nuint)payload.Length };
            var message = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)((length + 7) & ~7) };
            nint n;
            do
            {
                n = Libc.sendmsg((int)socket.DangerousGetHandle(), &message, Libc.MSG_NOSIGNAL);
            }
            while (n < 0 && Marshal.GetLastPInvokeError() == Errnos.EINTR);
            if (n < 0)
            {
                throw new SystemCallException("sendmsg", null, Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>
    /// Receives one message into <paramref name="payload"/> and the descriptors that came with it (close-on-exec),
    /// at most <paramref name="maxDescriptors"/>; returns the payload's length (0: the peer closed) and the descriptors.
    /// </summary>
    public static (int Length, IReadOnlyList<SafeFileHandle> Descriptors) ReceiveDescriptors(SafeHandle socket, Span<byte> payload, int maxDescriptors)
    {
        byte* control = stackalloc byte[ControlSpace];
        nint n;
        var received = new List<SafeFileHandle>();
        fixed (byte* data = payload)
        {
            var iov = new Libc.IoVec { Base = data, Length = (nuint)payload.Length };
            var message = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = ControlSpace };
            do
            {
                n = Libc.recvmsg((int)socket.DangerousGetHandle(), &message, Libc.MSG_CMSG_CLOEXEC);
            }
            while (n < 0 && Marshal.GetLastPInvokeError() == Errnos.EINTR);
            if (n < 0)
            {
                throw new SystemCallException("recvmsg", null, Marshal.GetLastPInvokeError());
            }

            int header = sizeof(nuint) + 8;
            if (message.ControlLength >= (nuint)header
                && *(int*)(control + sizeof(nuint)) == Libc.SOL_SOCKET
                && *(int*)(control + sizeof(nuint) + 4) == Libc.SCM_RIGHTS)
            {
                int count = (int)((*(nuint*)control - (nuint)header) / 4);
                for (int i = 0; i < count; i++)
                {
                    var handle = new SafeFileHandle(*(int*)(control + header + (4 * i)), ownsHandle: true);
                    if (i < maxDescriptors)
                    {
                        received.Add(handle);
                    }
                    else
                    {
                        handle.Dispose();
                    }
                }
            }
        }

        return ((int)n, received);
    }

    /// <summary>Room for one SCM_RIGHTS message of <see cref="MaxDescriptors"/>.</summary>
    private const int ControlSpace = 16 + (4 * MaxDescriptors);

    private static SafeFileHandle Create(bool seqPacket)
    {
        int fd = Libc.socket(Libc.AF_UNIX, (seqPacket ? Libc.SOCK_SEQPACKET : Libc.SOCK_STREAM) | Libc.SOCK_CLOEXEC, 0);
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
}
