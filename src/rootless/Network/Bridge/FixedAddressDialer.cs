using System.Net;
using System.Net.Sockets;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Connects every client to one address of the container (its address on a user-defined network): the
/// container sees the connection come from the forwarder's side of that network, as with podman's rootlessport.
/// </summary>
public sealed class FixedAddressDialer(IPAddress target) : IUpstreamDialer
{
    public string Argument => target.ToString();

    public void PrepareNamespace(string netnsPath)
    {
    }

    public Socket Connect(IPEndPoint client, int containerPort)
    {
        var upstream = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            upstream.Connect(new IPEndPoint(target, containerPort));
            return upstream;
        }
        catch
        {
            upstream.Dispose();
            throw;
        }
    }
}
