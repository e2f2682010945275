using System.Net;
using System.Net.Sockets;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Opens the container's end of a forwarded connection. Called on the forwarder's thread that has entered
/// the container's network namespace, so the sockets it makes belong there.
/// </summary>
public interface IUpstreamDialer
{
    /// <summary>The forwarder's argument that selects this dialer.</summary>
    string Argument { get; }

    /// <summary>Sets up the namespace before the first connection (the thread is already in it).</summary>
    void PrepareNamespace(string netnsPath);

    /// <summary>A connected socket to <paramref name="containerPort"/> for the client at <paramref name="client"/>.</summary>
    /// <exception cref="SocketException">The container does not accept the connection.</exception>
    Socket Connect(IPEndPoint client, int containerPort);
}
