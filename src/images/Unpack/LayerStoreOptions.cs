namespace Skiff.Images.Unpack;

/// <summary>Settings of the layer store.</summary>
public sealed record LayerStoreOptions
{
    /// <summary>Overlay whiteouts as real root (trusted.*) or inside a user namespace (user.*, mounted with userxattr).</summary>
    public WhiteoutStyle Whiteouts { get; init; } = WhiteoutStyle.OverlayTrusted;

    /// <summary>Largest uncompressed layer accepted (decompression bombs). 64 GiB by default.</summary>
    public long MaxLayerBytes { get; init; } = 64L << 30;

    /// <summary>Most entries accepted in one layer.</summary>
    public long MaxLayerEntries { get; init; } = 10_000_000;

    /// <summary>
    /// The settings for a store: a rootless store is always written inside skiff's user namespace, where
    /// trusted.* xattrs are out of reach and overlay is mounted with userxattr.
    /// </summary>
    public static LayerStoreOptions ForStore(bool rootless) =>
        new() { Whiteouts = rootless ? WhiteoutStyle.OverlayUser : WhiteoutStyle.OverlayTrusted };
}
