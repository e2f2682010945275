namespace Skiff.Images.Unpack;

/// <summary>
/// One decoded layer entry, whatever it came from (a tar stream or a stored diff directory).
/// <see cref="Path"/> is cleaned and relative to the layer root ("" is the root itself).
/// </summary>
public sealed record LayerEntry
{
    public required string Path { get; init; }

    public required LayerEntryKind Kind { get; init; }

    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public long MtimeSeconds { get; init; }

    public uint MtimeNanoseconds { get; init; }

    /// <summary>Symlink target (verbatim) or, for hard links, the cleaned path of the linked entry.</summary>
    public string? LinkTarget { get; init; }

    public uint DeviceMajor { get; init; }

    public uint DeviceMinor { get; init; }

    public long Size { get; init; }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs { get; init; } = [];

    /// <summary>The content of a regular file; valid only until the source moves to the next entry.</summary>
    public Stream? Data { get; init; }

    /// <summary>An open file with the same content, when the source has one (lets the writer copy in the kernel).</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle? DataFile { get; init; }

    /// <summary>
    /// An entry for a file found on disk (a container's diff, an image mount, a tree to archive): the kind
    /// given, or for devices and fifos the one <paramref name="status"/> says; metadata from the status.
    /// </summary>
    public static LayerEntry FromStatus(string path, LayerEntryKind kind, Skiff.Images.Files.FileStatus status) => new()
    {
        Path = path,
        Kind = kind,
        Mode = status.Mode,
        Uid = status.Uid,
        Gid = status.Gid,
        MtimeSeconds = status.MtimeSeconds,
        MtimeNanoseconds = status.MtimeNanoseconds,
        DeviceMajor = status.RdevMajor,
        DeviceMinor = status.RdevMinor,
        Size = kind == LayerEntryKind.File ? status.Size : 0,
    };

    /// <summary>The entry kind of a device node or fifo found on disk.</summary>
    public static LayerEntryKind SpecialKind(Skiff.Images.Files.FileKind kind) => kind switch
    {
        Skiff.Images.Files.FileKind.CharDevice => LayerEntryKind.CharDevice,
        Skiff.Images.Files.FileKind.BlockDevice => LayerEntryKind.BlockDevice,
        _ => LayerEntryKind.Fifo,
    };
}
