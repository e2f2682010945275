using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Rootless.Native;
using Skiff.Runtime.Fds;

namespace Skiff.Rootless.Network;

/// <summary>
/// A tap device (Ethernet frames, no packet-information header) made in the calling thread's network namespace
/// and attached to the descriptor returned: the device lives as long as a descriptor of it is open. Frames the
/// namespace sends queue on that descriptor until someone reads them. Needs CAP_NET_ADMIN in the user namespace
/// owning the network namespace.
/// </summary>
internal static unsafe class TapDevice
{
    private const int ReadWrite = 2;
    private const int NonBlocking = 0x800;

    /// <summary>Makes the device <paramref name="name"/> (at most 15 bytes); the descriptor is non-blocking, as pasta reads it.</summary>
    public static SafeFileHandle Create(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length is 0 or > 15)
        {
            throw new SystemCallException("ioctl(TUNSETIFF)", name, Errnos.EINVAL);
        }

        SafeFileHandle tun = Descriptors.Open("/dev/net/tun", ReadWrite | NonBlocking);
        byte* request = stackalloc byte[Libc.IfReqSize];
        new Span<byte>(request, Libc.IfReqSize).Clear();
        bytes.CopyTo(new Span<byte>(request, 16));
        *(short*)(request + 16) = Libc.IFF_TAP | Libc.IFF_NO_PI;
        if (Libc.ioctl(tun, Libc.TUNSETIFF, request) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            tun.Dispose();
            throw new SystemCallException("ioctl(TUNSETIFF)", name, errno);
        }

        return tun;
    }
}
