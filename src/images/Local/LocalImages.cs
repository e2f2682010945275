using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Content;
using Skiff.Images.Manifests;
using Skiff.Images.Store;
using Skiff.Images.Unpack;

namespace Skiff.Images.Local;

/// <summary>
/// The local image stores as the image verbs use them: records, blobs, the unpacker (null until layers
/// can be unpacked) and the layer garbage collector (null likewise). Also reads an image's manifest and
/// configuration back from the content store.
/// </summary>
public sealed class LocalImages(ImageStore images, ContentStore content, ILayerUnpacker? unpacker = null, ILayerCollector? layers = null)
{
    private const long MaxMetadataSize = 4 << 20;

    public ImageStore Images { get; } = images;

    public ContentStore Content { get; } = content;

    public ILayerUnpacker? Unpacker { get; } = unpacker;

    public ILayerCollector? Layers { get; } = layers;

    /// <summary>Resolves a name or (short) id, or fails the way podman does: <c>NAME: image not known</c>.</summary>
    public ImageRecord Resolve(string nameOrId) =>
        Images.TryResolve(nameOrId) ?? throw SkiffException.NotFound($"{nameOrId}: image not known", "see 'skiff images' for the local images, or pull it first");

    public ImageManifest Manifest(ImageRecord record) =>
        ManifestJsonReader.ReadManifest(Content.ReadAllBytes(Digest.Parse(record.ManifestDigest), MaxMetadataSize))
            ?? throw SkiffException.Internal($"image {record.Id}: empty manifest");

    public byte[] ConfigBytes(ImageRecord record) => Content.ReadAllBytes(Digest.Parse(record.Id), MaxMetadataSize);

    public ImageConfig Config(ImageRecord record) =>
        ManifestJsonReader.ReadConfig(ConfigBytes(record))
            ?? throw SkiffException.Internal($"image {record.Id}: empty configuration");

    /// <summary>The configuration when its blob is readable, null when it is missing or damaged (for listing).</summary>
    public ImageConfig? TryConfig(ImageRecord record)
    {
        try
        {
            return Config(record);
        }
        catch (Exception e) when (e is SkiffException or JsonException or IOException)
        {
            return null;
        }
    }
}
