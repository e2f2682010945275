namespace Skiff.Images.Unpack;

/// <summary>What one layer entry asks for. Whiteouts and opaque markers are decoded from their tar spelling by the source.</summary>
public enum LayerEntryKind
{
    File,
    Directory,
    Symlink,
    HardLink,
    CharDevice,
    BlockDevice,
    Fifo,

    /// <summary>Remove <see cref="LayerEntry.Path"/> from the layers below (tar: <c>.wh.NAME</c>).</summary>
    Whiteout,

    /// <summary>Hide everything the layers below have in the directory <see cref="LayerEntry.Path"/> (tar: <c>DIR/.wh..wh..opq</c>).</summary>
    Opaque,
}
