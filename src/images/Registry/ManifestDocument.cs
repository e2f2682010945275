using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;

namespace Skiff.Images.Registry;

/// <summary>
/// A manifest or index exactly as the registry sent it (the digest covers these bytes), validated:
/// a known media type, not both an index and an image, every descriptor digest well formed
/// (so <c>sha256:../../x</c> never reaches a file name) and every size non-negative.
/// </summary>
public sealed record ManifestDocument
{
    /// <summary>Registries and clients agree on this bound for manifests (containers/image uses the same).</summary>
    public const int MaxSize = 4 * 1024 * 1024;

    private ManifestDocument(byte[] bytes, string mediaType, Digest digest, ImageManifest? manifest, ImageIndex? index)
    {
        Bytes = bytes;
        MediaType = mediaType;
        Digest = digest;
        Manifest = manifest;
        Index = index;
    }

    public byte[] Bytes { get; }

    public string MediaType { get; }

    public Digest Digest { get; }

    /// <summary>Set for an image manifest.</summary>
    public ImageManifest? Manifest { get; }

    /// <summary>Set for an index / manifest list.</summary>
    public ImageIndex? Index { get; }

    public static ManifestDocument Parse(byte[] bytes, string? contentType, string source)
    {
        if (bytes.Length > MaxSize)
        {
            throw Invalid(source, $"it is {bytes.Length} bytes, over the {MaxSize} byte limit");
        }

        string? declared;
        bool hasManifests;
        bool hasImageParts;
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, "it is not a JSON object");
            }

            declared = root.TryGetProperty("mediaType", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            hasManifests = root.TryGetProperty("manifests", out _);
            hasImageParts = root.TryGetProperty("layers", out _) || root.TryGetProperty("config", out _);
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"it is not valid JSON: {e.Message}");
        }

        if (hasManifests && hasImageParts)
        {
            throw Invalid(source, "it claims to be both an index and an image manifest");
        }

        string header = contentType?.Split(';')[0].Trim() ?? string.Empty;
        string mediaType = declared ?? (MediaTypes.IsImageManifest(header) || MediaTypes.IsIndex(header) ? header
            : hasManifests ? MediaTypes.OciIndex
            : hasImageParts ? MediaTypes.OciManifest
            : header);
        if (!MediaTypes.IsImageManifest(mediaType) && !MediaTypes.IsIndex(mediaType))
        {
            throw Invalid(source, $"unsupported manifest media type \"{mediaType}\"");
        }

        if ((MediaTypes.IsIndex(mediaType) && hasImageParts) || (MediaTypes.IsImageManifest(mediaType) && hasManifests))
        {
            throw Invalid(source, $"its content does not match its media type \"{mediaType}\"");
        }

        Digest digest = Digest.Sha256Of(bytes);
        try
        {
            if (MediaTypes.IsIndex(mediaType))
            {
                ImageIndex index = JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.ImageIndex) ?? throw Invalid(source, "empty index");
                Check(index.SchemaVersion, index.Manifests, source);
                return new ManifestDocument(bytes, mediaType, digest, null, index);
            }

            ImageManifest manifest = JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.ImageManifest) ?? throw Invalid(source, "empty manifest");
            Check(manifest.SchemaVersion, [manifest.Config, .. manifest.Layers], source);
            if (!MediaTypes.IsConfig(manifest.Config.MediaType))
            {
                throw Invalid(source, $"unsupported config media type \"{manifest.Config.MediaType}\"");
            }

            foreach (Descriptor layer in manifest.Layers)
            {
                if (!MediaTypes.IsLayer(layer.MediaType))
                {
                    throw Invalid(source, $"unsupported layer media type \"{layer.MediaType}\"");
                }
            }

            return new ManifestDocument(bytes, mediaType, digest, manifest, null);
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"it does not match the image spec: {e.Message}");
        }
    }

    private static void Check(int schemaVersion, IEnumerable<Descriptor> descriptors, string source)
    {
        if (schemaVersion != 2)
        {
            throw Invalid(source, $"schema version {schemaVersion} is not supported");
        }

        foreach (Descriptor descriptor in descriptors)
        {
            if (!Digest.TryParse(descriptor.Digest, out _))
            {
                throw Invalid(source, $"it references an invalid digest \"{descriptor.Digest}\"");
            }

            if (descriptor.Size < 0)
            {
                throw Invalid(source, $"it declares a negative size for {descriptor.Digest}");
            }
        }
    }

    private static SkiffException Invalid(string source, string problem) =>
        SkiffException.InvalidArgument($"invalid manifest from {source}: {problem}", "the registry served an image skiff cannot use safely");
}
