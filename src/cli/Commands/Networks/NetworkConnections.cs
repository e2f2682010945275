using Skiff.Core.Errors;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Networks;

/// <summary>
/// <c>network connect</c> and <c>disconnect</c>. A container that is not running has its networks changed in its
/// stored configuration, which its next start applies; connecting one that uses the default network (pasta,
/// slirp4netns) or none moves it to the user-defined network, and disconnecting its last network leaves it with
/// loopback only (none). A running container on user-defined networks gets the interface added or removed at
/// once in its network namespace (<see cref="BridgeEndpointConnector.ConnectRunning"/>); a running container on
/// another network mode is refused with podman's message, as podman refuses it.
/// </summary>
public sealed class NetworkConnections(ContainerLifecycle lifecycle, NetworkStore networks, bool rootless, Func<BridgeEndpointConnector> bridge)
{
    public void Connect(string networkName, string container, EndpointRequest request)
    {
        NetworkRecord network = networks.Find(networkName);
        string id = lifecycle.Store.Resolve(container);
        lifecycle.Observe(id);
        using (lifecycle.Store.Lock(id))
        {
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            if (config.NetworkEndpoints.Any(e => e.NetworkId == network.Id))
            {
                // podman: connecting again is not an error.
                return;
            }

            NetworkMode mode = NetworkMode.Parse(config.NetworkMode);
            bool bridged = mode.Kind == NetworkKind.Bridge || config.NetworkEndpoints.Count > 0;
            ContainerState state = lifecycle.Store.ReadState(id);
            if (state.Running && !bridged)
            {
                // podman 4.3's words; it names none and host as "" (their mode has no name in its network config).
                string shown = mode.Kind is NetworkKind.None or NetworkKind.Host ? string.Empty : mode.ToString();
                throw SkiffException.InvalidArgument(
                    $"\"{shown}\" is not supported: invalid network mode",
                    $"only a container on user-defined networks can be connected while it runs: stop it first (skiff stop {config.Name}), connect it, and start it again");
            }

            // The host's network namespace is not the container's to change; "none" is also what disconnect leaves.
            if (mode.Kind is NetworkKind.Host)
            {
                throw SkiffException.InvalidArgument(
                    $"\"host\" is not supported: invalid network mode: container {config.Name} uses the host's network",
                    $"create the container with the default network or with --network {network.Name}");
            }

            if (mode.Joins)
            {
                throw SkiffException.InvalidArgument(
                    $"\"{mode}\" is not supported: invalid network mode: container {config.Name} joins another network namespace",
                    $"connect the container whose network it joins, or create it with --network {network.Name}");
            }

            IReadOnlyList<NetworkEndpoint> kept = bridged ? config.NetworkEndpoints : [];
            NetworkEndpoint endpoint;
            ContainerConfig connected;
            using (networks.Lock())
            {
                // The lowest free ethN (a stopped container's are contiguous: disconnect numbers them again).
                string device = NetworkInterfaceNames.NextFree(kept);
                endpoint = new EndpointAllocator(networks, lifecycle.Store).Allocate(network.Name, request, device, except: id);
                connected = config with
                {
                    NetworkMode = kept.Count > 0 ? kept[0].Network : bridged && state.Running ? config.NetworkMode : endpoint.Network,
                    NetworkEndpoints = [.. kept, endpoint],
                };
                if (!state.Running)
                {
                    Store(connected);
                    return;
                }

                lifecycle.Store.WriteConfig(connected);
            }

            try
            {
                // Its own name's address and its resolver follow its networks.
                ContainerEtcFiles.WriteFromHost(lifecycle.Store.Directory(id), connected with { NetworkMode = connected.NetworkEndpoints[0].Network }, rootless);
                bridge().ConnectRunning(connected, endpoint, state.Pid, state.MonitorPid);
            }
            catch
            {
                lifecycle.Store.WriteConfig(config);
                throw;
            }
        }
    }

    public void Disconnect(string networkName, string container)
    {
        NetworkRecord network = networks.Find(networkName);
        string id = lifecycle.Store.Resolve(container);
        lifecycle.Observe(id);
        using (lifecycle.Store.Lock(id))
        {
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            NetworkEndpoint endpoint = config.NetworkEndpoints.FirstOrDefault(e => e.NetworkId == network.Id)
                ?? throw SkiffException.NotFound($"container {config.Name} is not connected to network {network.Name}");
            List<NetworkEndpoint> remaining = config.NetworkEndpoints.Where(e => !ReferenceEquals(e, endpoint)).ToList();
            ContainerState state = lifecycle.Store.ReadState(id);
            if (!state.Running)
            {
                // The next start numbers the ethN interfaces again from eth0; a name given with interface_name= stays.
                List<NetworkEndpoint> named = remaining.Where(e => !NetworkInterfaceNames.IsNumbered(e.InterfaceName)).ToList();
                var renumbered = new List<NetworkEndpoint>();
                foreach (NetworkEndpoint kept in remaining)
                {
                    renumbered.Add(NetworkInterfaceNames.IsNumbered(kept.InterfaceName) ? kept with { Interface = NetworkInterfaceNames.NextFree([.. named, .. renumbered]) } : kept);
                }

                Store(config with { NetworkMode = renumbered.Count > 0 ? renumbered[0].Network : "none", NetworkEndpoints = renumbered });
                return;
            }

            // Without networks left it stays a container of user-defined networks (podman keeps its bridge mode), so it can connect again while it runs.
            ContainerConfig disconnected = config with { NetworkMode = remaining.Count > 0 ? remaining[0].Network : config.NetworkMode, NetworkEndpoints = remaining };
            lifecycle.Store.WriteConfig(disconnected);
            // Its own name's address and its resolver follow its networks (the peers section is rewritten next).
            ContainerEtcFiles.WriteFromHost(lifecycle.Store.Directory(id), disconnected, rootless);
            bridge().DisconnectRunning(config, endpoint, remaining, state.Pid);
        }
    }

    /// <summary>Stores the new network settings and rewrites /etc/hosts and /etc/resolv.conf for them, as create writes them.</summary>
    private void Store(ContainerConfig config)
    {
        lifecycle.Store.WriteConfig(config);
        ContainerEtcFiles.WriteFromHost(lifecycle.Store.Directory(config.Id), config, rootless);
    }
}
