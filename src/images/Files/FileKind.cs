namespace Skiff.Images.Files;

/// <summary>The type bits of an inode (S_IFMT).</summary>
public enum FileKind
{
    Regular,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}
