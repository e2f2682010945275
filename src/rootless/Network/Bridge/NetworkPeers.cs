namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Whom a container finds by name: the containers it shares a network with, each by its address on the shared
/// network (a peer on two shared networks is listed with both addresses). Taken from the networks' connected
/// lists (<see cref="NetworkStore.ReadEndpoints"/>), which list a container on every network it is connected to.
/// </summary>
public static class NetworkPeers
{
    public static IReadOnlyList<NetworkEndpointEntry> Of(IReadOnlyDictionary<string, List<NetworkEndpointEntry>> connected, string id) =>
        connected.Values
            .Where(entries => entries.Any(e => e.Id == id))
            .SelectMany(entries => entries.Where(e => e.Id != id))
            .DistinctBy(e => (e.Id, e.Address))
            .ToList();
}
