using System.Security.Cryptography;
using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.References;

namespace Skiff.Images.Archives;

/// <summary>
/// <c>skiff load</c>: stores the images of a docker-archive (docker/podman/skiff save) or an oci-archive.
/// Every blob is verified: docker-archive layers against the config's diff ids, OCI blobs against their
/// digests. Names in the archive are normalized as docker does (<c>busybox:latest</c> → docker.io/library/…).
/// </summary>
public sealed class ArchiveLoader(LocalImages local, string temporaryDirectory)
{
    public async Task<IReadOnlyList<LoadedImage>> LoadAsync(Stream source, CancellationToken cancellationToken)
    {
        using ExtractedArchive archive = await ExtractedArchive.ReadAsync(source, temporaryDirectory, cancellationToken).ConfigureAwait(false);
        if (archive.Contains("manifest.json"))
        {
            return await LoadDockerAsync(archive, cancellationToken).ConfigureAwait(false);
        }

        if (archive.Contains("index.json"))
        {
            return await LoadOciAsync(archive, cancellationToken).ConfigureAwait(false);
        }

        throw SkiffException.InvalidArgument(
            "the archive has neither manifest.json (docker-archive) nor index.json (oci-archive)",
            "load reads archives written by skiff save, docker save and podman save");
    }

    private async Task<IReadOnlyList<LoadedImage>> LoadDockerAsync(ExtractedArchive archive, CancellationToken cancellationToken)
    {
        var loaded = new List<LoadedImage>();
        using JsonDocument document = Parse(archive.ReadAllBytes("manifest.json"), "manifest.json");
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw SkiffException.InvalidArgument("manifest.json in the archive is not a list of images");
        }

        foreach (JsonElement item in document.RootElement.EnumerateArray())
        {
            string configName = String(item, "Config");
            byte[] configBytes = archive.ReadAllBytes(configName);
            ImageConfig config = JsonSerializer.Deserialize(configBytes, ManifestJsonContext.Default.ImageConfig)
                ?? throw SkiffException.InvalidArgument($"{configName} in the archive is empty");
            List<string> layerNames = item.TryGetProperty("Layers", out JsonElement layers) && layers.ValueKind == JsonValueKind.Array
                ? layers.EnumerateArray().Select(l => l.GetString() ?? string.Empty).ToList()
                : [];
            if (layerNames.Count != config.RootFs.DiffIds.Count)
            {
                throw SkiffException.InvalidArgument($"the archive lists {layerNames.Count} layers but the image configuration {config.RootFs.DiffIds.Count}");
            }

            var descriptors = new List<Descriptor>();
            for (int i = 0; i < layerNames.Count; i++)
            {
                descriptors.Add(await StoreLayerAsync(archive, layerNames[i], Digest.Parse(config.RootFs.DiffIds[i]), cancellationToken).ConfigureAwait(false));
            }

            var manifest = new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256Of(configBytes).Value, Size = configBytes.Length },
                Layers = descriptors,
            };
            var names = new List<string>();
            if (item.TryGetProperty("RepoTags", out JsonElement tags) && tags.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement tag in tags.EnumerateArray())
                {
                    names.Add(NormalizeName(tag.GetString() ?? string.Empty));
                }
            }

            byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.ImageManifest);
            var record = await new ImageCommitter(local).CommitAsync(manifestBytes, configBytes, names, [], cancellationToken).ConfigureAwait(false);
            loaded.Add(new LoadedImage(record, names));
        }

        return loaded;
    }

    /// <summary>Stores a docker-archive layer as it is (plain or compressed) after checking its uncompressed digest.</summary>
    private async Task<Descriptor> StoreLayerAsync(ExtractedArchive archive, string name, Digest diffId, CancellationToken cancellationToken)
    {
        Digest blobDigest;
        long size;
        await using (FileStream raw = archive.Open(name))
        {
            size = raw.Length;
            using var blobHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var diffHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var tee = new HashingStream(raw, blobHash))
            await using (Stream plain = ArchiveCompression.Decompress(tee))
            {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = await plain.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    diffHash.AppendData(buffer, 0, n);
                }

                // Drain what the decompressor did not need (trailing padding) so the blob digest covers the whole file.
                while (await tee.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }

            Digest actual = Digest.FromSha256Hash(diffHash.GetHashAndReset());
            if (actual != diffId)
            {
                throw SkiffException.InvalidArgument($"layer {name} in the archive does not match the image configuration: expected {diffId}, got {actual}");
            }

            blobDigest = Digest.FromSha256Hash(blobHash.GetHashAndReset());
        }

        string mediaType;
        await using (FileStream raw = archive.Open(name))
        {
            byte[] magic = new byte[4];
            int read = await raw.ReadAsync(magic, cancellationToken).ConfigureAwait(false);
            mediaType = read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b ? MediaTypes.OciLayerGzip
                : read >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd ? MediaTypes.OciLayerZstd
                : MediaTypes.OciLayer;
            raw.Position = 0;
            if (mediaType == MediaTypes.OciLayer && blobDigest != diffId)
            {
                throw SkiffException.InvalidArgument($"layer {name} in the archive is compressed in a format images cannot carry (only gzip and zstd)");
            }

            await local.Content.IngestAsync(raw, blobDigest, size, cancellationToken).ConfigureAwait(false);
        }

        return new Descriptor { MediaType = mediaType, Digest = blobDigest.Value, Size = size };
    }

    private async Task<IReadOnlyList<LoadedImage>> LoadOciAsync(ExtractedArchive archive, CancellationToken cancellationToken)
    {
        ImageIndex index = JsonSerializer.Deserialize(archive.ReadAllBytes("index.json"), ManifestJsonContext.Default.ImageIndex)
            ?? throw SkiffException.InvalidArgument("index.json in the archive is empty");
        var byManifest = new Dictionary<Digest, (Descriptor Descriptor, List<string> Names)>();
        foreach (Descriptor descriptor in index.Manifests)
        {
            Descriptor image = MediaTypes.IsIndex(descriptor.MediaType) ? PickFromIndex(archive, descriptor) : descriptor;
            Digest digest = image.ParsedDigest;
            if (!byManifest.TryGetValue(digest, out var entry))
            {
                byManifest[digest] = entry = (image, []);
            }

            if (NameOf(descriptor) is { } name && !entry.Names.Contains(name))
            {
                entry.Names.Add(name);
            }
        }

        var loaded = new List<LoadedImage>();
        foreach ((Digest digest, (Descriptor descriptor, List<string> names)) in byManifest)
        {
            byte[] manifestBytes = ReadBlob(archive, descriptor);
            ImageManifest manifest = JsonSerializer.Deserialize(manifestBytes, ManifestJsonContext.Default.ImageManifest)
                ?? throw SkiffException.InvalidArgument($"manifest {digest} in the archive is empty");
            byte[] configBytes = ReadBlob(archive, manifest.Config);
            foreach (Descriptor layer in manifest.Layers)
            {
                Digest layerDigest = layer.ParsedDigest;
                if (!local.Content.Contains(layerDigest))
                {
                    await using FileStream blob = archive.Open(BlobName(layerDigest));
                    await local.Content.IngestAsync(blob, layerDigest, blob.Length, cancellationToken).ConfigureAwait(false);
                }
            }

            var record = await new ImageCommitter(local).CommitAsync(manifestBytes, configBytes, names, [], cancellationToken).ConfigureAwait(false);
            loaded.Add(new LoadedImage(record, names));
        }

        return loaded;
    }

    /// <summary>A multi-platform index inside the archive: the entry for this machine, else the first.</summary>
    private static Descriptor PickFromIndex(ExtractedArchive archive, Descriptor descriptor)
    {
        ImageIndex nested = JsonSerializer.Deserialize(ReadBlob(archive, descriptor), ManifestJsonContext.Default.ImageIndex)
            ?? throw SkiffException.InvalidArgument($"index {descriptor.Digest} in the archive is empty");
        string arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            _ => "unknown",
        };
        return nested.Manifests.FirstOrDefault(m => MediaTypes.IsImageManifest(m.MediaType) && m.Platform?.Os == "linux" && m.Platform.Architecture == arch)
            ?? nested.Manifests.FirstOrDefault(m => MediaTypes.IsImageManifest(m.MediaType))
            ?? throw SkiffException.InvalidArgument($"index {descriptor.Digest} in the archive has no image manifest");
    }

    private static byte[] ReadBlob(ExtractedArchive archive, Descriptor descriptor)
    {
        Digest digest = descriptor.ParsedDigest;
        byte[] bytes = archive.ReadAllBytes(BlobName(digest));
        if (Digest.Sha256Of(bytes) != digest && digest.Algorithm == "sha256")
        {
            throw SkiffException.InvalidArgument($"blob {digest} in the archive does not match its digest");
        }

        return bytes;
    }

    private static string BlobName(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    private static string? NameOf(Descriptor descriptor)
    {
        IReadOnlyDictionary<string, string>? annotations = descriptor.Annotations;
        if (annotations is null)
        {
            return null;
        }

        foreach (string key in new[] { "io.containerd.image.name", "org.opencontainers.image.ref.name" })
        {
            // A bare ref.name ("latest") names no repository: the image stays untagged, as with podman.
            if (annotations.TryGetValue(key, out string? value) && (value.Contains('/') || value.Contains(':'))
                && ImageReference.TryParse(value, out _, out _))
            {
                return NormalizeName(value);
            }
        }

        return null;
    }

    private static string NormalizeName(string name)
    {
        ImageReference reference = ImageReference.Parse(name);
        return reference.Qualify(ImageReference.DockerHub).NameWithTag;
    }

    private static JsonDocument Parse(byte[] bytes, string name)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw SkiffException.InvalidArgument($"{name} in the archive is not valid JSON: {e.Message}");
        }
    }

    private static string String(JsonElement item, string property) =>
        item.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw SkiffException.InvalidArgument($"manifest.json in the archive has an entry without {property}");
}
