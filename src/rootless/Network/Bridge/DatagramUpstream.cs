using System.Net.Sockets;
using Skiff.Rootless.Network.Netlink;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>A forwarded UDP flow's side in the container's namespace: its socket, connected to the container, and the rule routing the replies to it.</summary>
public sealed record DatagramUpstream(Socket Socket, PortRule Rule);
