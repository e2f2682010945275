namespace Skiff.Images.Unpack;

/// <summary>The metadata of one unpacked layer, stored as layer.json beside its diff directory.</summary>
public sealed record LayerInfo
{
    /// <summary>"sha256:…" chain id: the layer and everything below it.</summary>
    public string ChainId { get; init; } = string.Empty;

    /// <summary>"sha256:…" of the uncompressed tar (verified while unpacking).</summary>
    public string DiffId { get; init; } = string.Empty;

    /// <summary>Chain id of the layer below, null for the bottom layer.</summary>
    public string? Parent { get; init; }

    /// <summary>Bytes of file content in the diff.</summary>
    public long Size { get; init; }

    /// <summary>Bytes of the uncompressed tar.</summary>
    public long TarSize { get; init; }

    /// <summary>How whiteouts are written in the diff: "overlay-trusted" or "overlay-user".</summary>
    public string WhiteoutStyle { get; init; } = string.Empty;

    /// <summary>Paths this layer deletes from the layers below (also present in the diff as 0:0 devices).</summary>
    public IReadOnlyList<string> Whiteouts { get; init; } = [];

    /// <summary>Directories that hide the layers below (also marked with the overlay opaque xattr).</summary>
    public IReadOnlyList<string> OpaqueDirectories { get; init; } = [];

    /// <summary>What unpacking had to skip (devices rootless, xattrs the kernel refused).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public DateTimeOffset Created { get; init; }
}
