using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The conversation between `create` and the container's init over the sync socket, after the
/// entry stage's handshake: create sends the spec (int32 length + JSON); init answers Ready, or
/// Failed with errno, an error kind and a message, so the caller never parses error text.
/// </summary>
public sealed class InitChannel(SafeHandle socket)
{
    public const int Ready = 'R';
    public const int Failed = 'X';

    private const int MaxSpecSize = 4 * 1024 * 1024;

    public void SendSpec(RuntimeSpec spec)
    {
        byte[] json = SpecJsonWriter.Write(spec);
        byte[] frame = new byte[4 + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, json.Length);
        json.CopyTo(frame, 4);
        Send(frame);
    }

    public RuntimeSpec ReceiveSpec()
    {
        byte[] header = ReceiveExactly(4) ?? throw SkiffException.Internal("the runtime closed the sync socket before sending the spec");
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length <= 0 || length > MaxSpecSize)
        {
            throw SkiffException.Internal($"bad spec length {length} on the sync socket");
        }

        byte[] json = ReceiveExactly(length) ?? throw SkiffException.Internal("truncated spec on the sync socket");
        return SpecFile.Parse(json, "sync socket");
    }

    public void SendReady() => Send(Frame(Ready, 0, 0, []));

    public void SendFailure(int errno, ErrorKind kind, string message)
    {
        byte[] text = Encoding.UTF8.GetBytes(message);
        Send(Frame(Failed, errno, (int)kind, text));
    }

    /// <summary>Returns normally when the init is ready; throws the init's error otherwise.</summary>
    public void ReceiveReady()
    {
        byte[] header = ReceiveExactly(16) ?? throw SkiffException.Internal("the container's init exited during setup without reporting why");
        int tag = BinaryPrimitives.ReadInt32LittleEndian(header);
        int errno = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        int kind = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        int length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        if (tag == Ready)
        {
            return;
        }

        if (tag != Failed || length < 0 || length > 65536)
        {
            throw SkiffException.Internal($"unexpected message {tag} from the container's init");
        }

        string message = length == 0 ? string.Empty : Encoding.UTF8.GetString(ReceiveExactly(length) ?? []);
        throw new InitFailedException(Enum.IsDefined((ErrorKind)kind) ? (ErrorKind)kind : ErrorKind.Internal, message, errno);
    }

    private static byte[] Frame(int tag, int errno, int kind, byte[] payload)
    {
        byte[] frame = new byte[16 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, tag);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), errno);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(8), kind);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), payload.Length);
        payload.CopyTo(frame, 16);
        return frame;
    }

    private void Send(byte[] frame)
    {
        if (!Descriptors.WriteAll(socket, frame))
        {
            throw SkiffException.Internal("the other end of the sync socket is gone");
        }
    }

    private byte[]? ReceiveExactly(int count)
    {
        byte[] buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = Descriptors.Read(socket, buffer.AsSpan(read, count - read));
            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        return buffer;
    }
}
