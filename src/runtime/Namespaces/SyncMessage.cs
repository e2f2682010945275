using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;

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
    /// Blocks until a message arrives (null at end of stream). Synchronous read(2) on the raw descriptor on
    /// purpose: the entry stage answers within microseconds, and a System.Net.Sockets.Socket (even used
    /// synchronously) starts .NET's socket engine thread, whose readiness events then start thread-pool
    /// workers, on every container start.
    /// </summary>
    public static SyncMessage? Receive(SafeHandle socket)
    {
        Span<byte> buffer = stackalloc byte[Size];
        int read = 0;
        while (read < Size)
        {
            int n = Descriptors.Read(socket, buffer[read..]);
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

    public void Send(SafeHandle socket)
    {
        Span<byte> buffer = stackalloc byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, Tag);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[4..], Value);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[8..], Step);
        if (!Descriptors.WriteAll(socket, buffer))
        {
            throw SkiffException.Internal("the namespace entry stage closed its sync socket");
        }
    }

    /// <summary>The error for <paramref name="step"/> of starting a process in namespaces failing with <paramref name="errno"/>.</summary>
    public static SkiffException StepFailure(int step, int errno, string? hint = null) => new(
        errno is Errnos.EPERM or Errnos.EACCES ? ErrorKind.PermissionDenied : ErrorKind.Internal,
        $"{DescribeStep(step)} failed: {Errnos.Describe(errno)}",
        hint);

    public static string DescribeStep(int step) => step switch
    {
        1 => "creating the user namespace",
        2 => "waiting for the id maps",
        3 => "switching to uid 0 in the user namespace",
        4 => "creating namespaces",
        5 => "forking into the pid namespace",
        6 => "opening the namespaces to join",
        7 => "joining namespaces",
        8 => "cloning a mount of the container whose namespace is joined",
        9 => "creating namespaces",
        10 => "passing descriptors",
        11 => "executing the program",
        _ => $"step {step}",
    };
}
