using System.Net.Sockets;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>The two sockets of one forwarded connection, closed once both directions have ended.</summary>
internal sealed class ForwardedConnection(Socket client, Socket upstream)
{
    private int _open = 2;

    public void DirectionDone()
    {
        if (Interlocked.Decrement(ref _open) == 0)
        {
            client.Dispose();
            upstream.Dispose();
        }
    }
}
