using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Images.Local;
using Skiff.Images.Manifests;

namespace Skiff.Images.Archives;

/// <summary>
/// <c>skiff save</c>: writes images as a docker-archive (what <c>docker load</c> and <c>podman load</c>
/// read: manifest.json, repositories, <c>&lt;config&gt;.json</c>, <c>&lt;diffid&gt;/layer.tar</c> uncompressed) or an
/// oci-archive (an OCI image layout in a tar, blobs as stored).
/// </summary>
public sealed class ArchiveWriter(LocalImages local, string temporaryDirectory)
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public async Task WriteAsync(Stream output, IReadOnlyList<SavedImage> images, SaveFormat format, CancellationToken cancellationToken)
    {
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        if (format == SaveFormat.DockerArchive)
        {
            await WriteDockerAsync(tar, images, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await WriteOciAsync(tar, images, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteDockerAsync(TarWriter tar, IReadOnlyList<SavedImage> images, CancellationToken cancellationToken)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        using var manifestStream = new MemoryStream();
        using var repositoriesStream = new MemoryStream();
        var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        using (var manifestJson = new Utf8JsonWriter(manifestStream))
        {
            manifestJson.WriteStartArray();
            foreach (SavedImage saved in images)
            {
                ImageManifest manifest = local.Manifest(saved.Image);
                Digest configDigest = Digest.Parse(saved.Image.Id);
                string configName = configDigest.Hex + ".json";
                if (written.Add(configName))
                {
                    await AddBytesAsync(tar, configName, local.ConfigBytes(saved.Image), cancellationToken).ConfigureAwait(false);
                }

                var layerNames = new List<string>();
                for (int i = 0; i < manifest.Layers.Count; i++)
                {
                    Digest diffId = Digest.Parse(saved.Image.DiffIds[i]);
                    string layerName = $"{diffId.Hex}/layer.tar";
                    layerNames.Add(layerName);
                    if (written.Add(layerName))
                    {
                        await AddDirectoryAsync(tar, diffId.Hex + "/", cancellationToken).ConfigureAwait(false);
                        await AddLayerAsync(tar, layerName, manifest.Layers[i], cancellationToken).ConfigureAwait(false);
                    }
                }

                manifestJson.WriteStartObject();
                manifestJson.WriteString("Config", configName);
                manifestJson.WriteStartArray("RepoTags");
                foreach (string name in saved.Names)
                {
                    manifestJson.WriteStringValue(name);
                    int colon = name.LastIndexOf(':');
                    if (!repositories.TryGetValue(name[..colon], out SortedDictionary<string, string>? tags))
                    {
                        repositories[name[..colon]] = tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    }

                    if (layerNames.Count > 0)
                    {
                        tags[name[(colon + 1)..]] = layerNames[^1].Split('/')[0];
                    }
                }

                manifestJson.WriteEndArray();
                manifestJson.WriteStartArray("Layers");
                foreach (string layerName in layerNames)
                {
                    manifestJson.WriteStringValue(layerName);
                }

                manifestJson.WriteEndArray();
                manifestJson.WriteEndObject();
            }

            manifestJson.WriteEndArray();
        }

        using (var repositoriesJson = new Utf8JsonWriter(repositoriesStream))
        {
            repositoriesJson.WriteStartObject();
            foreach ((string repository, SortedDictionary<string, string> tags) in repositories)
            {
                repositoriesJson.WriteStartObject(repository);
                foreach ((string tag, string layer) in tags)
                {
                    repositoriesJson.WriteString(tag, layer);
                }

                repositoriesJson.WriteEndObject();
            }

            repositoriesJson.WriteEndObject();
        }

        await AddBytesAsync(tar, "manifest.json", manifestStream.ToArray(), cancellationToken).ConfigureAwait(false);
        if (repositories.Count > 0)
        {
            await AddBytesAsync(tar, "repositories", repositoriesStream.ToArray(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteOciAsync(TarWriter tar, IReadOnlyList<SavedImage> images, CancellationToken cancellationToken)
    {
        await AddBytesAsync(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await AddDirectoryAsync(tar, "blobs/", cancellationToken).ConfigureAwait(false);
        await AddDirectoryAsync(tar, "blobs/sha256/", cancellationToken).ConfigureAwait(false);
        var written = new HashSet<Digest>();
        var index = new List<(Descriptor Descriptor, IReadOnlyList<string> Names)>();
        foreach (SavedImage saved in images)
        {
            ImageManifest manifest = local.Manifest(saved.Image);
            byte[] manifestBytes = local.Content.ReadAllBytes(Digest.Parse(saved.Image.ManifestDigest));
            if (manifest.MediaType is not MediaTypes.OciManifest)
            {
                manifestBytes = JsonSerializer.SerializeToUtf8Bytes(OciConversion.ToOci(manifest), ManifestJsonContext.Default.ImageManifest);
            }

            Digest manifestDigest = Digest.Sha256Of(manifestBytes);
            if (written.Add(Digest.Parse(saved.Image.Id)))
            {
                await AddBytesAsync(tar, BlobName(Digest.Parse(saved.Image.Id)), local.ConfigBytes(saved.Image), cancellationToken).ConfigureAwait(false);
            }

            foreach (Descriptor layer in manifest.Layers)
            {
                Digest digest = layer.ParsedDigest;
                if (written.Add(digest))
                {
                    await using FileStream blob = local.Content.OpenRead(digest);
                    await AddStreamAsync(tar, BlobName(digest), blob, cancellationToken).ConfigureAwait(false);
                }
            }

            if (written.Add(manifestDigest))
            {
                await AddBytesAsync(tar, BlobName(manifestDigest), manifestBytes, cancellationToken).ConfigureAwait(false);
            }

            index.Add((new Descriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest.Value, Size = manifestBytes.Length }, saved.Names));
        }

        using var indexStream = new MemoryStream();
        using (var json = new Utf8JsonWriter(indexStream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            foreach ((Descriptor descriptor, IReadOnlyList<string> names) in index)
            {
                foreach (string? name in names.Count == 0 ? [null] : names.Cast<string?>())
                {
                    json.WriteStartObject();
                    json.WriteString("mediaType", descriptor.MediaType);
                    json.WriteString("digest", descriptor.Digest);
                    json.WriteNumber("size", descriptor.Size);
                    if (name is not null)
                    {
                        // containerd reads the full name from io.containerd.image.name; podman and skopeo from ref.name.
                        json.WriteStartObject("annotations");
                        json.WriteString("io.containerd.image.name", name);
                        json.WriteString("org.opencontainers.image.ref.name", name);
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await AddBytesAsync(tar, "index.json", indexStream.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static string BlobName(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    /// <summary>docker-archive layers are plain tars: stored compressed layers are decompressed into a temp file first (a tar header needs the size).</summary>
    private async Task AddLayerAsync(TarWriter tar, string name, Descriptor layer, CancellationToken cancellationToken)
    {
        Digest digest = layer.ParsedDigest;
        bool compressed = layer.MediaType.EndsWith("gzip", StringComparison.Ordinal) || layer.MediaType.EndsWith("zstd", StringComparison.Ordinal);
        if (!compressed)
        {
            await using FileStream blob = local.Content.OpenRead(digest);
            await AddStreamAsync(tar, name, blob, cancellationToken).ConfigureAwait(false);
            return;
        }

        Directory.CreateDirectory(temporaryDirectory);
        string temp = Path.Combine(temporaryDirectory, $"save-{Guid.NewGuid():N}.tar");
        try
        {
            await using (FileStream blob = local.Content.OpenRead(digest))
            await using (Stream plain = ArchiveCompression.Decompress(blob))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await plain.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            await using var layerFile = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await AddStreamAsync(tar, name, layerFile, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static Task AddBytesAsync(TarWriter tar, string name, byte[] data, CancellationToken cancellationToken) =>
        AddStreamAsync(tar, name, new MemoryStream(data, writable: false), cancellationToken);

    private static async Task AddStreamAsync(TarWriter tar, string name, Stream data, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = Epoch,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static async Task AddDirectoryAsync(TarWriter tar, string name, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.Directory, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            ModificationTime = Epoch,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
