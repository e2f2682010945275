using System.Net;
using System.Net.Sockets;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network;

/// <summary>
/// Which published ports of a pasta-connected container skiff's own forwarder serves instead of pasta: TCP
/// on IPv4. The forwarder shows the container what pasta would (a client on the host's loopback as
/// 127.0.0.1 on the container's loopback, any other client with its own address on the container's
/// address: <see cref="Bridge.ClientAddressDialer"/>), but splices between two kernel sockets, where pasta
/// copies remote clients' bytes through its tap device in user space: 100 MB from a client on another
/// network took 2-4 s through pasta against 0.1 s through the forwarder (bench/net.sh). A port on every
/// address is split: IPv4 to the forwarder, IPv6 (<c>::</c>) to pasta when the host has IPv6. UDP and ports
/// on IPv6 addresses stay with pasta.
/// </summary>
public static class PastaPortRouting
{
    /// <summary>The IPv6 half of a port published on every address, for pasta.</summary>
    public const string AnyIPv6 = "::";

    public static (IReadOnlyList<PublishedPort> Forwarded, IReadOnlyList<PublishedPort> Pasta) Split(IEnumerable<PublishedPort> ports) =>
        Split(ports, Socket.OSSupportsIPv6);

    public static (IReadOnlyList<PublishedPort> Forwarded, IReadOnlyList<PublishedPort> Pasta) Split(IEnumerable<PublishedPort> ports, bool hostHasIPv6)
    {
        var forwarded = new List<PublishedPort>();
        var pasta = new List<PublishedPort>();
        foreach (PublishedPort port in ports)
        {
            if (!IsForwarded(port))
            {
                pasta.Add(port);
                continue;
            }

            forwarded.Add(port);
            if (port.HostIp.Length == 0 && hostHasIPv6)
            {
                pasta.Add(port with { HostIp = AnyIPv6 });
            }
        }

        return (forwarded, pasta);
    }

    /// <summary>
    /// Whether pasta may listen on host ports for a container with these published ports and these pasta options
    /// (ports can be in the user's own options too): the next container must then find them free, so stopping
    /// that pasta waits for its whole exit.
    /// </summary>
    public static bool PastaMayListen(IEnumerable<string> pastaOptions, IEnumerable<PublishedPort> ports) =>
        pastaOptions.Any(o => o != "--map-gw") || Split(ports).Pasta.Count > 0;

    private static bool IsForwarded(PublishedPort port) =>
        port.Protocol == "tcp"
        && (port.HostIp.Length == 0
            || (IPAddress.TryParse(port.HostIp, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetwork));
}
