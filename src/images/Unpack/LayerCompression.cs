namespace Skiff.Images.Unpack;

/// <summary>How a layer blob is compressed, as its first bytes say.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
