using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// The loopback interface of a network namespace the runtime created: the kernel makes it down, and runc and
/// crun bring it up, so a container on <c>--network none</c> (or any bundle asking for a new network namespace)
/// can still serve and reach 127.0.0.1 and ::1. Namespaces joined by path belong to a network helper or another
/// container, which configure their own.
/// </summary>
public static unsafe class LoopbackInterface
{
    private const int AF_INET = 2;
    private const int SOCK_DGRAM = 2;
    private const ulong SIOCGIFFLAGS = 0x8913;
    private const ulong SIOCSIFFLAGS = 0x8914;
    private const short IFF_UP = 0x1;

    /// <summary>struct ifreq: a 16-byte name, then a union whose largest member (struct ifmap) is 24 bytes.</summary>
    private const int IfreqSize = 40;
    private const int FlagsOffset = 16;

    /// <summary>True when the spec asks for a network namespace of the container's own.</summary>
    public static bool NewNamespaceIn(Spec.LinuxSpec linux) =>
        linux.Namespaces.Any(n => n.Type == "network" && string.IsNullOrEmpty(n.Path));

    /// <summary>Sets <c>lo</c> up in the calling thread's network namespace (SIOCSIFFLAGS, as ip-link does).</summary>
    public static void BringUp()
    {
        int fd = Libc.socket(AF_INET, SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new SystemCallException("socket(AF_INET) for the loopback interface", null, Marshal.GetLastPInvokeError());
        }

        try
        {
            byte* request = stackalloc byte[IfreqSize];
            new Span<byte>(request, IfreqSize).Clear();
            "lo"u8.CopyTo(new Span<byte>(request, 16));
            if (Libc.ioctl(fd, SIOCGIFFLAGS, (nint)request) != 0)
            {
                throw new SystemCallException("ioctl(SIOCGIFFLAGS, lo)", null, Marshal.GetLastPInvokeError());
            }

            short* flags = (short*)(request + FlagsOffset);
            if ((*flags & IFF_UP) != 0)
            {
                return;
            }

            *flags |= IFF_UP;
            if (Libc.ioctl(fd, SIOCSIFFLAGS, (nint)request) != 0)
            {
                throw new SystemCallException("ioctl(SIOCSIFFLAGS, lo up)", null, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
