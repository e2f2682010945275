using System.Globalization;
using System.Net;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>
/// A routing rule for one flow: packets of <paramref name="Protocol"/> from source port
/// <paramref name="SourcePort"/> to <paramref name="Destination"/>:<paramref name="DestinationPort"/> look up
/// <paramref name="Table"/> (IPv4; the kernel matches ports since Linux 4.17).
/// </summary>
public sealed record PortRule(byte Protocol, int SourcePort, IPAddress Destination, int DestinationPort, int Table)
{
    public const byte Udp = 17;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ipproto {Protocol} sport {SourcePort} to {Destination} dport {DestinationPort} lookup {Table}");
}
