using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Namespaces;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>
/// The kernel's notifications of link, address and route changes (IPv4 and IPv6) in one network namespace:
/// a descriptor that turns readable when anything changed there. What changed is read with a dump afterwards.
/// </summary>
public sealed class NamespaceChanges : IDisposable
{
    /// <summary>RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE (rtnetlink.h).</summary>
    private const uint Groups = 0x1 | 0x10 | 0x40 | 0x100 | 0x400;

    private readonly NetlinkSocket _socket;

    private NamespaceChanges(NetlinkSocket socket) => _socket = socket;

    /// <summary>The calling thread's network namespace.</summary>
    public static NamespaceChanges Open() => new(NetlinkSocket.OpenSubscribed(Groups));

    /// <summary>The namespace at <paramref name="netnsPath"/>, with a socket to dump it (opened by one thread in it).</summary>
    public static (NamespaceChanges Changes, RouteNetlink Dumps) OpenIn(string netnsPath) =>
        ThreadNetworkNamespace.RunIn(netnsPath, () =>
        {
            NamespaceChanges changes = Open();
            try
            {
                return (changes, RouteNetlink.Open());
            }
            catch
            {
                changes.Dispose();
                throw;
            }
        });

    /// <summary>Readable when a notification is queued.</summary>
    public SafeFileHandle Handle => _socket.Handle;

    /// <summary>Drops the queued notifications; true when there were any (or some were lost).</summary>
    public bool Drain() => _socket.Drain();

    public void Dispose() => _socket.Dispose();
}
