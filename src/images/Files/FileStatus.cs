namespace Skiff.Images.Files;

/// <summary>What statx says about one inode (never following a final symlink).</summary>
/// <param name="Mode">Permission bits including setuid, setgid and sticky (07777).</param>
public readonly record struct FileStatus(
    FileKind Kind,
    uint Mode,
    uint Uid,
    uint Gid,
    long Size,
    ulong Inode,
    uint DeviceMajor,
    uint DeviceMinor,
    uint RdevMajor,
    uint RdevMinor,
    uint Links,
    long MtimeSeconds,
    uint MtimeNanoseconds)
{
    public const uint S_IFMT = 0xF000;

    /// <summary>overlayfs's whiteout: a character device with device number 0:0.</summary>
    public bool IsOverlayWhiteout => Kind == FileKind.CharDevice && RdevMajor == 0 && RdevMinor == 0;

    public static FileKind KindOf(uint rawMode) => (rawMode & S_IFMT) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.Symlink,
        0x2000 => FileKind.CharDevice,
        0x6000 => FileKind.BlockDevice,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        _ => FileKind.Regular,
    };

    public static uint TypeBits(FileKind kind) => kind switch
    {
        FileKind.Regular => 0x8000,
        FileKind.Directory => 0x4000,
        FileKind.Symlink => 0xA000,
        FileKind.CharDevice => 0x2000,
        FileKind.BlockDevice => 0x6000,
        FileKind.Fifo => 0x1000,
        FileKind.Socket => 0xC000,
        _ => 0,
    };
}
