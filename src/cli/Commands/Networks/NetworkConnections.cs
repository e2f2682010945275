using Skiff.Core.Errors;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Networks;

/// <summary>
/// <c>network connect</c> and <c>disconnect</c> of a container that is not running: its network is part of its
/// stored configuration, which its next start applies (a veth on the network's bridge, its address, the peers in
/// /etc/hosts). A container is on one network at a time: connecting a container that uses the default network
/// (pasta, slirp4netns) or none moves it to the user-defined network, and disconnecting leaves it with loopback
/// only (none), as podman leaves a container disconnected from its last network. A running container is refused: its
/// network namespace was set up by its monitor, which also tears it down, so it is changed at its next start.
/// </summary>
public sealed class NetworkConnections(ContainerLifecycle lifecycle, NetworkStore networks, bool rootless)
{
    public void Connect(string networkName, string container, IReadOnlyList<string> aliases, string? address)
    {
        NetworkRecord network = networks.Find(networkName);
        string id = lifecycle.Store.Resolve(container);
        lifecycle.Observe(id);
        using (lifecycle.Store.Lock(id))
        using (networks.Lock())
        {
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            if (config.NetworkEndpoint is { } current)
            {
                if (current.NetworkId == network.Id)
                {
                    // podman: connecting again is not an error.
                    return;
                }

                throw SkiffException.Conflict(
                    $"container {config.Name} is connected to network {current.Network}: skiff connects a container to one network at a time",
                    $"disconnect it first: skiff network disconnect {current.Network} {config.Name}");
            }

            NetworkMode mode = NetworkMode.Parse(config.NetworkMode);
            // The host's network namespace is not the container's to change; "none" is also what disconnect leaves.
            if (mode.Kind is NetworkKind.Host)
            {
                throw SkiffException.InvalidArgument(
                    $"\"host\" is not supported: invalid network mode: container {config.Name} uses the host's network",
                    $"create the container with the default network or with --network {network.Name}");
            }

            RefuseRunning(id, config, $"connect {network.Name}");
            if (config.Ports.Any(p => string.Equals(p.Protocol, "udp", StringComparison.OrdinalIgnoreCase)))
            {
                throw SkiffException.InvalidArgument(
                    $"cannot connect container {config.Name} to network {network.Name}: it publishes UDP ports, and only TCP is forwarded on user-defined networks",
                    "keep UDP services on the default network (pasta or slirp4netns)");
            }

            NetworkEndpoint endpoint = new EndpointAllocator(networks, lifecycle.Store).Allocate(network.Name, aliases, address, except: id);
            Store(config with { NetworkMode = endpoint.Network, NetworkEndpoint = endpoint });
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
            if (config.NetworkEndpoint?.NetworkId != network.Id)
            {
                throw SkiffException.NotFound($"container {config.Name} is not connected to network {network.Name}");
            }

            RefuseRunning(id, config, $"disconnect {network.Name}");
            Store(config with { NetworkMode = "none", NetworkEndpoint = null });
        }
    }

    private void RefuseRunning(string id, ContainerConfig config, string change)
    {
        if (lifecycle.Store.ReadState(id).Running)
        {
            throw SkiffException.Conflict(
                $"cannot {change} while container {config.Name} is running: skiff changes a container's networks when it starts",
                $"stop it first: skiff stop {config.Name}; skiff network {change} {config.Name}; skiff start {config.Name}");
        }
    }

    /// <summary>Stores the new network settings and rewrites /etc/hosts and /etc/resolv.conf for them, as create writes them.</summary>
    private void Store(ContainerConfig config)
    {
        lifecycle.Store.WriteConfig(config);
        ContainerEtcFiles.WriteFromHost(lifecycle.Store.Directory(config.Id), config, rootless);
    }
}
