using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;

namespace Skiff.Images.Registry.Pushing;

/// <summary>
/// Rewrites an image manifest between OCI and Docker schema2. Only media types change: layer and config
/// bytes stay identical, so every blob keeps its digest (zstd layers have no schema2 form).
/// </summary>
public static class ManifestConverter
{
    public static (byte[] Bytes, string MediaType) Convert(byte[] original, ImageManifest manifest, string mediaType, PushFormat format)
    {
        string target = format switch
        {
            PushFormat.Oci => MediaTypes.OciManifest,
            PushFormat.DockerV2Schema2 => MediaTypes.DockerManifest,
            _ => mediaType,
        };
        if (target == mediaType)
        {
            return (original, mediaType);
        }

        bool toDocker = target == MediaTypes.DockerManifest;
        var converted = manifest with
        {
            MediaType = target,
            Config = manifest.Config with { MediaType = toDocker ? MediaTypes.DockerConfig : MediaTypes.OciConfig },
            Layers = manifest.Layers.Select(l => l with { MediaType = Layer(l.MediaType, toDocker) }).ToList(),
        };
        return (JsonSerializer.SerializeToUtf8Bytes(converted, ManifestJsonContext.Default.ImageManifest), target);
    }

    private static string Layer(string mediaType, bool toDocker) => (mediaType, toDocker) switch
    {
        (MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip, true) => MediaTypes.DockerLayerGzip,
        (MediaTypes.OciLayer or MediaTypes.DockerLayer, true) => MediaTypes.DockerLayer,
        (MediaTypes.OciLayerNondistributableGzip or MediaTypes.DockerForeignLayerGzip, true) => MediaTypes.DockerForeignLayerGzip,
        (MediaTypes.DockerLayerGzip or MediaTypes.OciLayerGzip, false) => MediaTypes.OciLayerGzip,
        (MediaTypes.DockerLayer or MediaTypes.OciLayer, false) => MediaTypes.OciLayer,
        (MediaTypes.DockerForeignLayerGzip or MediaTypes.OciLayerNondistributableGzip, false) => MediaTypes.OciLayerNondistributableGzip,
        (MediaTypes.OciLayerZstd, false) => mediaType,
        _ => throw SkiffException.InvalidArgument($"a layer of type {mediaType} cannot be written as {(toDocker ? "v2s2" : "oci")}", "push with --format oci"),
    };
}
