using System.Net.Sockets;

namespace Skiff.Rootless.Network.Dns;

/// <summary>A TCP connection to the responder, with what it sent so far of its next length-prefixed query.</summary>
internal sealed class DnsTcpClient(Socket socket, long deadline)
{
    public Socket Socket { get; } = socket;

    /// <summary>One length prefix and the longest message it can announce.</summary>
    public byte[] Buffer { get; } = new byte[2 + ushort.MaxValue];

    public int Filled { get; set; }

    /// <summary>Closed when idle past this point.</summary>
    public long Deadline { get; set; } = deadline;
}
