using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// One query forwarded over TCP (RFC 1035 4.2.2, RFC 7766): a client that asked over TCP gets the upstream's
/// answer over TCP too, so an answer too large for UDP arrives whole instead of truncated. The socket connects
/// without blocking; the length-prefixed query is written once it is writable, and the answer read as it comes.
/// </summary>
internal sealed class DnsStreamExchange
{
    private readonly byte[] framed;
    private readonly byte[] received = new byte[2 + ushort.MaxValue];
    private int sent;
    private int filled;

    private DnsStreamExchange(byte[] query)
    {
        framed = new byte[2 + query.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
    }

    /// <summary>The query is not all written yet: poll for writability.</summary>
    public bool Sending => sent < framed.Length;

    /// <summary>Starts connecting to <paramref name="server"/>; a refused or unreachable server throws.</summary>
    public static (Socket Socket, DnsStreamExchange Exchange) Start(IPEndPoint server, byte[] query)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            socket.Connect(server);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Connecting: writable once connected, in error if refused.
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return (socket, new DnsStreamExchange(query));
    }

    /// <summary>Writes what the socket takes of the query; throws when the connection failed.</summary>
    public void Send(Socket socket)
    {
        try
        {
            sent += socket.Send(framed, sent, framed.Length - sent, SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
        }
    }

    /// <summary>
    /// Reads what has arrived: the answer once it is complete, else null. A connection closed before the
    /// answer is complete (or one that failed) throws, as a refusal does.
    /// </summary>
    public byte[]? Receive(Socket socket)
    {
        int n;
        try
        {
            n = socket.Receive(received, filled, received.Length - filled, SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return null;
        }

        if (n == 0)
        {
            throw new SocketException((int)SocketError.ConnectionReset);
        }

        filled += n;
        if (filled < 2)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(received);
        return filled >= 2 + length ? received.AsSpan(2, length).ToArray() : null;
    }
}
