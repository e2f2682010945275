using Skiff.Core.Processes;
using Skiff.Core.Users;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary>
/// Removes a network's record, stops its DNS server and, as root, its bridge and nft table from the host. Rootless, the bridge is
/// inside the rootless network namespace, which goes away with the last container on any network.
/// </summary>
public static class NetworkRemover
{
    public static void Remove(NetworkStore networks, NetworkRecord network, CurrentUser user, Core.Events.EventLog events)
    {
        networks.Remove(network.Name);
        events.Write(new Core.Events.EngineEvent("network", "remove", DateTimeOffset.UtcNow) { Id = network.Id, Name = network.Name });
        new Skiff.Rootless.Network.Dns.NetworkDns(networks.RunDirectory, user.Rootless, BridgeTools.Find().Nsenter).Stop(network.Name);
        if (!user.Rootless)
        {
            new BridgePlumbing(new ProcessRunner(), BridgeTools.Find(), null).RemoveBridge(network);
        }
    }
}
