using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Rootless.Network.Dns;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The side of user-defined networks that touches a container's network namespace: makes sure each network's
/// bridge exists, connects the container with one veth pair and address per network (eth0, eth1, ...), records
/// it as connected and rewrites the hosts files of everyone on those networks and the networks' DNS records
/// (starting or stopping their DNS servers, see <see cref="NetworkDns"/>); disconnecting undoes it. The
/// monitor connects all of a container's networks when it starts and disconnects what its configuration lists
/// when it ends; network connect/disconnect of a running container add or remove one. Rootless, all of this
/// happens in the rootless network namespace, whose user namespace the caller runs in; the last monitor to
/// leave stops it.
/// </summary>
public sealed class BridgeEndpointConnector(ContainerStore store, NetworkStore networks, IProcessRunner runner, RootlessNetworkNamespace? rootless)
{
    private int forwarderPid;

    /// <summary>The forwarder could not be recorded on disk: only this process can stop it.</summary>
    private bool unrecorded;

    /// <summary>The monitor's connect: every network of the container, the first that is not internal with the default route.</summary>
    public void Connect(ContainerConfig config, int pid)
    {
        if (config.NetworkEndpoints.Count == 0 && rootless is null)
        {
            return;
        }

        BridgePlumbing plumbing = Plumbing(register: Environment.ProcessId);
        string containerNetns = NamespaceOf(pid);
        NetworkEndpoint? routed = BridgeCommands.DefaultRouteEndpoint(config.NetworkEndpoints);
        using (networks.Lock())
        {
            foreach (NetworkEndpoint endpoint in config.NetworkEndpoints)
            {
                plumbing.EnsureBridge(networks.Find(endpoint.NetworkId));
                plumbing.Attach(endpoint, BridgeCommands.VethName(config.Id, endpoint.InterfaceName), containerNetns, ReferenceEquals(endpoint, routed), Mtu);
                Record(config, endpoint, Environment.ProcessId);
            }

            UpdateHosts(Members(config.NetworkEndpoints.Select(e => e.Network)).Append(config.Id));
        }

        if (config.Ports.Count > 0 && config.NetworkEndpoints.Count > 0)
        {
            StartForwarder(config, config.NetworkEndpoints[0], pid);
        }
    }

    /// <summary>
    /// network connect of a running container: <paramref name="endpoint"/> (already in the stored configuration)
    /// joins the namespace of the container's process <paramref name="pid"/>, whose monitor is <paramref name="monitorPid"/>.
    /// The interface gets the default route when the container has none (it was on internal networks only, or
    /// had lost its routed network).
    /// </summary>
    public void ConnectRunning(ContainerConfig config, NetworkEndpoint endpoint, int pid, int monitorPid)
    {
        BridgePlumbing plumbing = Plumbing(register: monitorPid);
        string containerNetns = NamespaceOf(pid);
        string veth = BridgeCommands.VethName(config.Id, endpoint.InterfaceName);
        using (networks.Lock())
        {
            plumbing.EnsureBridge(networks.Find(endpoint.NetworkId));
            plumbing.Attach(endpoint, veth, containerNetns, !BridgePlumbing.HasDefaultRoute(containerNetns), Mtu);
            try
            {
                Record(config, endpoint, monitorPid);
                UpdateHosts(Members([endpoint.Network]).Append(config.Id));
            }
            catch
            {
                plumbing.Detach(veth);
                Unrecord(config.Id, endpoint.Network);
                throw;
            }
        }
    }

    /// <summary>
    /// network disconnect of a running container: removes the endpoint's interface (and with it its routes; another
    /// network that is not internal then gets the default route), its entry and the hosts entries on both sides.
    /// <paramref name="remaining"/> are the endpoints the container keeps.
    /// </summary>
    public void DisconnectRunning(ContainerConfig config, NetworkEndpoint endpoint, IReadOnlyList<NetworkEndpoint> remaining, int pid)
    {
        BridgePlumbing plumbing = Plumbing(register: null);
        plumbing.Detach(BridgeCommands.VethName(config.Id, endpoint.InterfaceName));
        using (networks.Lock())
        {
            IReadOnlyList<string> peers = Members([endpoint.Network]);
            Unrecord(config.Id, endpoint.Network);
            UpdateHosts(peers.Append(config.Id));
        }

        string containerNetns = NamespaceOf(pid);
        if (BridgeCommands.DefaultRouteEndpoint(remaining) is { } next && !BridgePlumbing.HasDefaultRoute(containerNetns))
        {
            BridgePlumbing.AddDefaultRoute(next, containerNetns);
        }
    }

    /// <summary>The port forwarder runs and is not recorded on disk: only this process knows its pid.</summary>
    public bool HoldsProcessState => unrecorded;

    /// <summary>
    /// The container has ended: removes what <paramref name="config"/> lists now (network connect and disconnect
    /// may have changed it while it ran) and every entry of the container on any network. Never throws.
    /// </summary>
    public void Disconnect(ContainerConfig config)
    {
        StopForwarder(config.Id);
        try
        {
            int? holder = rootless?.RunningPid();
            if (rootless is null || holder is not null)
            {
                var plumbing = new BridgePlumbing(runner, BridgeTools.Find(), holder is int h ? RootlessNetworkNamespace.NetnsPath(h) : null);
                foreach (NetworkEndpoint endpoint in config.NetworkEndpoints)
                {
                    plumbing.Detach(BridgeCommands.VethName(config.Id, endpoint.InterfaceName));
                }
            }

            using (networks.Lock())
            {
                var affected = new List<string>();
                foreach ((string network, List<NetworkEndpointEntry> entries) in networks.ReadAllEndpoints())
                {
                    if (entries.Any(e => e.Id == config.Id))
                    {
                        affected.AddRange(entries.Select(e => e.Id).Where(id => id != config.Id));
                        Unrecord(config.Id, network);
                    }
                }

                UpdateHosts(affected);
            }
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
        }
        finally
        {
            if (rootless is not null)
            {
                using (rootless.Lock())
                {
                    rootless.RemoveUser(Environment.ProcessId);
                    rootless.StopIfUnused();
                }
            }
        }
    }

    private int? Mtu => rootless is null ? null : RootlessNetworkNamespace.LinkMtu;

    private static string NamespaceOf(int pid) => $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net";

    /// <summary>The plumbing for the namespace holding the bridges; rootless, <paramref name="register"/> is recorded as a user of it.</summary>
    private BridgePlumbing Plumbing(int? register)
    {
        string? bridgeNetns = null;
        if (rootless is not null)
        {
            using (rootless.Lock())
            {
                int holder = rootless.RunningPid() ?? throw SkiffException.Unavailable(
                    "the rootless network namespace is not running",
                    "start the container again with 'skiff start'");
                if (register is int pid)
                {
                    rootless.AddUser(pid);
                }

                bridgeNetns = RootlessNetworkNamespace.NetnsPath(holder);
            }
        }

        return new BridgePlumbing(runner, BridgeTools.Find(), bridgeNetns);
    }

    /// <summary>Adds the container to the network's connected list; the caller holds the networks' lock.</summary>
    private void Record(ContainerConfig config, NetworkEndpoint endpoint, int monitorPid)
    {
        List<NetworkEndpointEntry> connected = Live(networks.ReadEndpoints(endpoint.Network)).Where(e => e.Id != config.Id).ToList();
        connected.Add(new NetworkEndpointEntry
        {
            Id = config.Id,
            Name = config.Name,
            Aliases = endpoint.Aliases,
            Address = endpoint.IPAddress,
            Ipv6Address = endpoint.Ipv6Address,
            MonitorPid = monitorPid,
        });
        networks.WriteEndpoints(endpoint.Network, connected);
    }

    private void Unrecord(string id, string network) =>
        networks.WriteEndpoints(network, Live(networks.ReadEndpoints(network)).Where(e => e.Id != id).ToList());

    /// <summary>The containers connected to <paramref name="names"/> now.</summary>
    private IReadOnlyList<string> Members(IEnumerable<string> names) =>
        names.SelectMany(n => Live(networks.ReadEndpoints(n))).Select(e => e.Id).Distinct(StringComparer.Ordinal).ToList();

    private void StartForwarder(ContainerConfig config, NetworkEndpoint endpoint, int pid)
    {
        forwarderPid = PortForwarderProcess.Start(NamespaceOf(pid), ClientAddressDialer.ArgumentFor(endpoint.IPAddress, endpoint.Gateway), config.Ports);
        unrecorded = !HelperRecord.TryWrite(ForwarderRecord(config.Id), forwarderPid);
    }

    /// <summary>Stops the forwarder this process started, or (after a handover to skiff-relay) the recorded one.</summary>
    private void StopForwarder(string id)
    {
        PortForwarderProcess.Stop(forwarderPid != 0 ? forwarderPid : HelperRecord.TryReadLive(ForwarderRecord(id)) ?? 0);
        forwarderPid = 0;
        HelperRecord.Delete(ForwarderRecord(id));
    }

    private string ForwarderRecord(string id) => Path.Combine(store.RunDirectory(id), "port-forward.pid");

    /// <summary>
    /// Rewrites the hosts files of <paramref name="ids"/>: each lists the containers it shares a network with,
    /// by their address on that network (<see cref="NetworkPeers"/>); the caller holds the networks' lock.
    /// </summary>
    private void UpdateHosts(IEnumerable<string> ids)
    {
        IReadOnlyDictionary<string, List<NetworkEndpointEntry>> all = networks.ReadAllEndpoints();
        var lists = all.ToDictionary(kv => kv.Key, kv => Live(kv.Value).ToList());
        foreach (string id in ids.Distinct(StringComparer.Ordinal))
        {
            try
            {
                NetworkHostsFile.Update(Path.Combine(store.Directory(id), "hosts"), NetworkPeers.Of(lists, id), id);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        UpdateDns(lists);
    }

    /// <summary>
    /// Writes each network's DNS records from the same connected lists as the hosts files, starting the
    /// network's DNS server when it has containers and none runs, stopping it when it has none; the caller
    /// holds the networks' lock.
    /// </summary>
    private void UpdateDns(IReadOnlyDictionary<string, List<NetworkEndpointEntry>> lists)
    {
        string? bridgeNetns = null;
        bool canStart = true;
        if (rootless is not null)
        {
            // Without the rootless network namespace there is nowhere to serve: only stops.
            canStart = rootless.RunningPid() is int holder;
            bridgeNetns = canStart ? RootlessNetworkNamespace.NetnsPath(rootless.RunningPid()!.Value) : null;
        }

        var dns = new NetworkDns(networks.RunDirectory, rootless is not null, BridgeTools.Find().Nsenter);
        foreach ((string name, List<NetworkEndpointEntry> entries) in lists)
        {
            if (canStart && networks.TryFind(name) is { } network && network.Name == name)
            {
                dns.Update(network, entries, bridgeNetns);
            }
            else
            {
                dns.Stop(name);
            }
        }
    }

    /// <summary>Entries whose monitor still runs (a monitor killed with -9 left its entry behind).</summary>
    private static IEnumerable<NetworkEndpointEntry> Live(IEnumerable<NetworkEndpointEntry> entries) =>
        entries.Where(e => e.MonitorPid == Environment.ProcessId || Directory.Exists($"/proc/{e.MonitorPid.ToString(CultureInfo.InvariantCulture)}"));
}
