using Skiff.Images.Manifests;

namespace Skiff.Images.Archives;

/// <summary>Docker schema2 manifests rewritten with the equivalent OCI media types, and back (the blobs are the same bytes).</summary>
public static class OciConversion
{
    public static ImageManifest ToOci(ImageManifest manifest) => manifest with
    {
        MediaType = MediaTypes.OciManifest,
        Config = manifest.Config with { MediaType = MediaTypes.OciConfig },
        Layers = manifest.Layers.Select(l => l with { MediaType = LayerType(l.MediaType) }).ToList(),
    };

    private static string LayerType(string mediaType) => mediaType switch
    {
        MediaTypes.DockerLayerGzip => MediaTypes.OciLayerGzip,
        MediaTypes.DockerLayer => MediaTypes.OciLayer,
        MediaTypes.DockerForeignLayerGzip => MediaTypes.OciLayerNondistributableGzip,
        _ => mediaType,
    };

    /// <summary>An OCI manifest with docker schema2 media types (commit --format docker); zstd layers have none and keep theirs.</summary>
    public static ImageManifest ToDocker(ImageManifest manifest) => manifest with
    {
        MediaType = MediaTypes.DockerManifest,
        Config = manifest.Config with { MediaType = MediaTypes.DockerConfig },
        Layers = manifest.Layers.Select(l => l with { MediaType = DockerLayerType(l.MediaType) }).ToList(),
    };

    private static string DockerLayerType(string mediaType) => mediaType switch
    {
        MediaTypes.OciLayerGzip => MediaTypes.DockerLayerGzip,
        MediaTypes.OciLayer => MediaTypes.DockerLayer,
        MediaTypes.OciLayerNondistributableGzip => MediaTypes.DockerForeignLayerGzip,
        _ => mediaType,
    };
}
