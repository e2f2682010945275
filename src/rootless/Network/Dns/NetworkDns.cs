using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// The DNS side of a network's membership changes, called under the networks' lock wherever the hosts files
/// are rewritten, with the same peers: writes the network's records file, starts its responder when the
/// first container joins a network with DNS enabled, and stops it (removing the records, which also ends a
/// responder nobody stopped) when the last one leaves or the network is removed.
/// </summary>
public sealed class NetworkDns(string runDirectory, bool rootless, string nsenter)
{
    public string RecordsPath(string network) => Path.Combine(runDirectory, network + ".dns");

    public string PidPath(string network) => Path.Combine(runDirectory, network + ".dns.pid");

    /// <summary>The servers the responder forwards to: the network's own, pasta's forwarder rootless, else (none given) the host's resolv.conf.</summary>
    public IReadOnlyList<string> Upstreams(NetworkRecord network) =>
        network.NetworkDnsServers is { Count: > 0 } servers ? servers
        : rootless ? [PastaOptions.DefaultDnsForward]
        : [];

    /// <param name="network">The network whose peers changed.</param>
    /// <param name="peers">Its containers now.</param>
    /// <param name="bridgeNetns">Where the bridge lives (rootless: the rootless network namespace), null for the host's.</param>
    public void Update(NetworkRecord network, IReadOnlyList<NetworkEndpointEntry> peers, string? bridgeNetns)
    {
        if (!network.DnsEnabled || peers.Count == 0)
        {
            Stop(network.Name);
            return;
        }

        Directory.CreateDirectory(runDirectory);
        DnsRecordsFile.Write(RecordsPath(network.Name), peers);
        if (HelperRecord.TryReadLive(PidPath(network.Name)) is not null)
        {
            return;
        }

        int pid = DnsServerProcess.Start(
            DnsServer.BuildArguments(ListenAddresses(network), RecordsPath(network.Name), Upstreams(network)),
            bridgeNetns,
            nsenter);
        if (!HelperRecord.TryWrite(PidPath(network.Name), pid))
        {
            DnsServerProcess.Stop(pid);
            throw SkiffException.Internal($"cannot record the DNS server of network {network.Name} in {runDirectory}");
        }
    }

    /// <summary>Where the responder listens: the network's gateways, IPv4 first, and IPv6 on a dual-stack network (as aardvark-dns).</summary>
    public static IReadOnlyList<string> ListenAddresses(NetworkRecord network) =>
        network.Gateway6 is UInt128 gateway6
            ? [IpSubnet<uint>.FormatAddress(network.Gateway), IpSubnet<UInt128>.FormatAddress(gateway6)]
            : [IpSubnet<uint>.FormatAddress(network.Gateway)];

    /// <summary>Stops the network's responder, if any; never throws.</summary>
    public void Stop(string network)
    {
        HelperRecord.Delete(RecordsPath(network));
        DnsServerProcess.Stop(HelperRecord.TryReadLive(PidPath(network)) ?? 0);
        HelperRecord.Delete(PidPath(network));
    }

    /// <summary>Stops every network's responder (the rootless network namespace is going away); never throws.</summary>
    public void StopAll()
    {
        IEnumerable<string> records;
        try
        {
            records = Directory.Exists(runDirectory) ? Directory.GetFiles(runDirectory, "*.dns.pid") : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string record in records)
        {
            Stop(Path.GetFileName(record)[..^".dns.pid".Length]);
        }
    }
}
