namespace Skiff.Rootless.Network.Bridge;

/// <summary>One client of one published UDP port, and its socket in the container's namespace.</summary>
internal sealed record DatagramFlow(DatagramFlowKey Key, DatagramUpstream Upstream);
