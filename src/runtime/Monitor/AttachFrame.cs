namespace Skiff.Runtime.Monitor;

/// <summary>
/// The attach protocol on the monitor's SOCK_SEQPACKET socket: every packet is one frame, its first byte
/// the kind, the rest the payload. Packet boundaries make length prefixes unnecessary.
/// </summary>
public static class AttachFrame
{
    /// <summary>Client → monitor: bytes for the container's stdin.</summary>
    public const byte Stdin = 0;

    /// <summary>Monitor → client: container stdout (or the terminal's output).</summary>
    public const byte Stdout = 1;

    /// <summary>Monitor → client: container stderr.</summary>
    public const byte Stderr = 2;

    /// <summary>Monitor → client: the container ended; payload is the exit code as int32 little-endian.</summary>
    public const byte Exit = 3;

    /// <summary>Client → monitor: the client's stdin ended; close the container's stdin.</summary>
    public const byte StdinClose = 4;

    /// <summary>Client → monitor: the terminal was resized; payload rows, columns as uint16 little-endian.</summary>
    public const byte Resize = 5;

    /// <summary>Client → monitor: start the initialized container (<c>skiff init</c>); the monitor answers <see cref="Started"/>.</summary>
    public const byte Start = 6;

    /// <summary>Monitor → client: the answer to <see cref="Start"/>, its payload a <see cref="MonitorReport"/>.</summary>
    public const byte Started = 7;

    /// <summary>Largest payload per frame: well under the default socket buffer so a send never needs splitting.</summary>
    public const int MaxPayload = 32 * 1024;
}
