using System.Net;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network;

/// <summary>
/// Which published ports of a pasta-connected container skiff's own forwarder serves instead of pasta: TCP
/// ports bound to an IPv4 loopback address of the host. Their clients are on the host, and pasta would
/// splice them to the container's loopback anyway, so the container sees the same (127.0.0.1) either way;
/// the forwarder (splice(2) between two kernel sockets, as podman's rootlessport) moved 100 MB with about
/// 60 % of pasta's CPU time (bench/net.sh). Ports on other addresses stay with pasta, which shows the
/// container the real address of remote clients.
/// </summary>
public static class LoopbackPortRouting
{
    /// <summary>Where the forwarder connects inside the container's namespace (pasta's spliced connections go there too).</summary>
    public const string ContainerTarget = "127.0.0.1";

    public static (IReadOnlyList<PublishedPort> Forwarded, IReadOnlyList<PublishedPort> Pasta) Split(IEnumerable<PublishedPort> ports)
    {
        var forwarded = new List<PublishedPort>();
        var pasta = new List<PublishedPort>();
        foreach (PublishedPort port in ports)
        {
            (IsForwarded(port) ? forwarded : pasta).Add(port);
        }

        return (forwarded, pasta);
    }

    /// <summary>
    /// Whether pasta may listen on host ports for a container with these published ports and these pasta options
    /// (ports can be in the user's own options too): the next container must then find them free, so stopping
    /// that pasta waits for its whole exit.
    /// </summary>
    public static bool PastaMayListen(IEnumerable<string> pastaOptions, IEnumerable<PublishedPort> ports) =>
        pastaOptions.Any(o => o != "--map-gw") || ports.Any(p => !IsForwarded(p));

    private static bool IsForwarded(PublishedPort port) =>
        port.Protocol == "tcp"
        && IPAddress.TryParse(port.HostIp, out IPAddress? address)
        && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && IPAddress.IsLoopback(address);
}
