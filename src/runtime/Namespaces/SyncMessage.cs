using System.Buffers.Binary;
using System.Net.Sockets;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// One message of the entry-stage protocol (see Native/nsenter.c): three native-endian int32s.
/// </summary>
public readonly record struct SyncMessage(int Tag, int Value, int Step)
{
    public const int Size = 12;

    public const int UserNamespaceReady = 'U';
    public const int MapsWritten = 'M';
    public const int ProcessId = 'P';
    public const int Failure = 'E';

    /// <summary>
    /// Blocks until a message arrives (null at end of stream). Synchronous on purpose: the entry stage
    /// answers within microseconds, and .NET's asynchronous socket calls would start its socket engine
    /// thread and thread-pool workers on every container start.
    /// </summary>
    public static SyncMessage? Receive(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[Size];
        int read = 0;
        while (read < Size)
        {
            int n = socket.Receive(buffer[read..], SocketFlags.None);
            if (n == 0)
            {
                return read == 0 ? null : throw SkiffException.Internal("namespace entry stage sent a truncated message");
            }

            read += n;
        }

        return new SyncMessage(
            BinaryPrimitives.ReadInt32LittleEndian(buffer),
            BinaryPrimitives.ReadInt32LittleEndian(buffer[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(buffer[8..]));
    }

    public void Send(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, Tag);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[4..], Value);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[8..], Step);
        socket.Send(buffer, SocketFlags.None);
    }

    public static string DescribeStep(int step) => step switch
    {
        1 => "creating the user namespace",
        2 => "waiting for the id maps",
        3 => "switching to uid 0 in the user namespace",
        4 => "creating namespaces",
        5 => "forking into the pid namespace",
        6 => "opening the namespaces to join",
        7 => "joining namespaces",
        _ => $"step {step}",
    };
}
