using System.Net;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>One client of one published UDP port: the index of the port's host socket and the client's address and port.</summary>
public readonly record struct DatagramFlowKey(int Port, IPEndPoint Client);
