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

    public static async Task<SyncMessage?> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Size];
        int read = 0;
        while (read < Size)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return read == 0 ? null : throw SkiffException.Internal("namespace entry stage sent a truncated message");
            }

            read += n;
        }

        return new SyncMessage(
            BinaryPrimitives.ReadInt32LittleEndian(buffer),
            BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(4)),
            BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(8)));
    }

    public async Task SendAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, Tag);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(4), Value);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), Step);
        await socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
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
