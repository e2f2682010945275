namespace Skiff.Images.Manifests;

public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
