using Skiff.Images.Files;

namespace Skiff.Images.Unpack;

/// <summary>How <see cref="LayerApplier"/> writes a layer.</summary>
public sealed record ApplyOptions
{
    public WhiteoutStyle Whiteouts { get; init; } = WhiteoutStyle.Delete;

    /// <summary>Set owners from the layer (false only for tests or tools that cannot chown).</summary>
    public bool PreserveOwners { get; init; } = true;

    /// <summary>Bound on the number of entries (decompression bombs made of empty files).</summary>
    public long MaxEntries { get; init; } = 10_000_000;

    /// <summary>
    /// For overlay styles: the diff directories of the layers below, topmost first. A directory this layer
    /// creates only implicitly (a parent no entry names) takes its mode, owner and times from them, so the
    /// merged view does not change the lower directory's metadata.
    /// </summary>
    public IReadOnlyList<DirectoryHandle> Lowers { get; init; } = [];
}
