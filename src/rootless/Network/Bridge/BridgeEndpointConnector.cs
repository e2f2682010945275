using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Rootless.Network.Dns;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The monitor's side of a user-defined network: makes sure the network's bridge exists, connects the
/// container with a veth pair and its address, records it as connected and rewrites the hosts files of
/// everyone on the network and the network's DNS records (starting or stopping its DNS server, see
/// <see cref="NetworkDns"/>); disconnecting undoes it. Rootless, all of this happens in the rootless network
/// namespace, whose user namespace the monitor runs in; the last monitor to leave stops it.
/// </summary>
public sealed class BridgeEndpointConnector(ContainerStore store, NetworkStore networks, IProcessRunner runner, RootlessNetworkNamespace? rootless)
{
    private int forwarderPid;

    /// <summary>The forwarder could not be recorded on disk: only this process can stop it.</summary>
    private bool unrecorded;

    public void Connect(ContainerConfig config, int pid)
    {
        NetworkEndpoint endpoint = config.NetworkEndpoint
            ?? throw SkiffException.Internal($"container {config.Id} has no address on network {config.NetworkMode}");
        string? bridgeNetns = null;
        if (rootless is not null)
        {
            using (rootless.Lock())
            {
                int holder = rootless.RunningPid() ?? throw SkiffException.Unavailable(
                    "the rootless network namespace is not running",
                    "start the container again with 'skiff start'");
                rootless.AddUser(Environment.ProcessId);
                bridgeNetns = RootlessNetworkNamespace.NetnsPath(holder);
            }
        }

        var plumbing = new BridgePlumbing(runner, BridgeTools.Find(), bridgeNetns);
        using (networks.Lock())
        {
            NetworkRecord network = networks.Find(endpoint.NetworkId);
            plumbing.EnsureBridge(network);
            plumbing.Attach(
                endpoint,
                BridgeCommands.VethName(config.Id),
                $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net",
                rootless is null ? null : RootlessNetworkNamespace.LinkMtu);
            List<NetworkEndpointEntry> connected = Live(networks.ReadEndpoints(network.Name)).Where(e => e.Id != config.Id).ToList();
            connected.Add(new NetworkEndpointEntry
            {
                Id = config.Id,
                Name = config.Name,
                Aliases = endpoint.Aliases,
                Address = endpoint.IPAddress,
                MonitorPid = Environment.ProcessId,
            });
            networks.WriteEndpoints(network.Name, connected);
            UpdateHosts(connected);
            Dns().Update(network, connected, bridgeNetns);
        }

        if (config.Ports.Count > 0)
        {
            StartForwarder(config, endpoint, pid);
        }
    }

    /// <summary>The port forwarder runs and is not recorded on disk: only this process knows its pid.</summary>
    public bool HoldsProcessState => unrecorded;

    /// <summary>Never throws: the container has ended and whatever is left is cleaned up as far as possible.</summary>
    public void Disconnect(ContainerConfig config)
    {
        if (config.NetworkEndpoint is not NetworkEndpoint endpoint)
        {
            return;
        }

        StopForwarder(config.Id);
        try
        {
            int? holder = rootless?.RunningPid();
            string? bridgeNetns = holder is int h ? RootlessNetworkNamespace.NetnsPath(h) : null;
            if (rootless is null || holder is not null)
            {
                new BridgePlumbing(runner, BridgeTools.Find(), bridgeNetns).Detach(BridgeCommands.VethName(config.Id));
            }

            using (networks.Lock())
            {
                List<NetworkEndpointEntry> connected = Live(networks.ReadEndpoints(endpoint.Network)).Where(e => e.Id != config.Id).ToList();
                networks.WriteEndpoints(endpoint.Network, connected);
                UpdateHosts(connected);
                if (networks.TryFind(endpoint.NetworkId) is { } network && (rootless is null || holder is not null))
                {
                    Dns().Update(network, connected, bridgeNetns);
                }
                else
                {
                    Dns().Stop(endpoint.Network);
                }
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

    private void StartForwarder(ContainerConfig config, NetworkEndpoint endpoint, int pid)
    {
        forwarderPid = PortForwarderProcess.Start($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net", endpoint.IPAddress, config.Ports);
        unrecorded = !HelperRecord.TryWrite(ForwarderRecord(config.Id), forwarderPid);
    }

    /// <summary>Stops the forwarder this process started, or (after a handover to skiff-relay) the recorded one.</summary>
    private void StopForwarder(string id)
    {
        PortForwarderProcess.Stop(forwarderPid != 0 ? forwarderPid : HelperRecord.TryReadLive(ForwarderRecord(id)) ?? 0);
        forwarderPid = 0;
        HelperRecord.Delete(ForwarderRecord(id));
    }

    private NetworkDns Dns() => new(networks.RunDirectory, rootless is not null, BridgeTools.Find().Nsenter);

    private string ForwarderRecord(string id) => Path.Combine(store.RunDirectory(id), "port-forward.pid");

    private void UpdateHosts(IReadOnlyList<NetworkEndpointEntry> connected)
    {
        foreach (NetworkEndpointEntry entry in connected)
        {
            try
            {
                NetworkHostsFile.Update(Path.Combine(store.Directory(entry.Id), "hosts"), connected, entry.Id);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Entries whose monitor still runs (a monitor killed with -9 left its entry behind).</summary>
    private static IEnumerable<NetworkEndpointEntry> Live(IEnumerable<NetworkEndpointEntry> entries) =>
        entries.Where(e => e.MonitorPid == Environment.ProcessId || Directory.Exists($"/proc/{e.MonitorPid.ToString(CultureInfo.InvariantCulture)}"));
}
