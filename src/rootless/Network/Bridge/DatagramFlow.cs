using System.Net;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>One client of one published UDP port, and its socket in the container's namespace.</summary>
internal sealed class DatagramFlow(DatagramFlowKey key, DatagramUpstream upstream)
{
    public DatagramFlowKey Key { get; } = key;

    public DatagramUpstream Upstream { get; } = upstream;

    /// <summary>The host address the client's last datagram came to, when its port's socket is bound to every address: answers leave from it.</summary>
    public IPAddress? ReplyFrom { get; set; }
}
