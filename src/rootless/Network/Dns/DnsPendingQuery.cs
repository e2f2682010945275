using System.Net;
using System.Net.Sockets;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// A query forwarded to upstream server number <see cref="ServerIndex"/> on its own socket, answered before
/// <see cref="Deadline"/> or passed on; <see cref="Stream"/> is set when it goes over TCP (its client asked over TCP).
/// A UDP client's answer goes out of <see cref="Listener"/>, the socket its query came in on, to <see cref="From"/>.
/// </summary>
internal sealed record DnsPendingQuery(Socket Upstream, byte[] Query, Socket? Listener, EndPoint? From, DnsTcpClient? Client, int ServerIndex, long Deadline, DnsStreamExchange? Stream = null);
