namespace Skiff.Tests.Support;

public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
