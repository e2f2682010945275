using System.Security.Cryptography;
using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Images.Archives;
using Skiff.Images.Manifests;
using Skiff.Images.References;
using Skiff.Images.Store;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;

namespace Skiff.Images.Local;

/// <summary>
/// <c>skiff commit</c>: a new image made of a base image's layers plus one layer read from a tree of changes (a
/// container's writable layer, whiteouts and opaque directories written as OCI <c>.wh.</c> entries). The layer is
/// stored uncompressed, so its blob digest is its diff id; the base layers' blobs are shared, not copied. The
/// config is the base image's with the caller's container config, history and author; the image is then recorded
/// (and its new layer unpacked) by <see cref="ImageCommitter"/>, as import and load record theirs. Without a layer
/// (a build's ENV, LABEL, CMD…) the image has the base's layers and a history entry marked <c>empty_layer</c>.
/// </summary>
public sealed class LayerCommitter(LocalImages local, string temporaryDirectory)
{
    /// <param name="layer">The changes, their owners already the ones the image should hold; null for a new config over the same layers.</param>
    /// <param name="progress">Told each blob and step as podman prints them (<c>Copying blob …</c>).</param>
    public async Task<ImageRecord> CommitAsync(ImageRecord baseImage, ILayerEntrySource? layer, CommitOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        // Validate everything cheap before writing a possibly large layer.
        string? name = options.Reference is null ? null : ImageReference.Parse(options.Reference).LocalName;
        ContainerConfig containerConfig = ImageChanges.Apply(options.Config, options.Changes);
        ImageConfig baseConfig = local.Config(baseImage);
        ImageManifest baseManifest = local.Manifest(baseImage);

        if (layer is null)
        {
            return await CommitConfigAsync(baseConfig, baseManifest, containerConfig, name, options, progress, cancellationToken).ConfigureAwait(false);
        }

        Directory.CreateDirectory(temporaryDirectory);
        string temp = Path.Combine(temporaryDirectory, $"commit-{Guid.NewGuid():N}.tar");
        try
        {
            Digest diffId;
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                using (var hashing = new HashingWriteStream(file))
                {
                    TarEntryWriter.Write(layer, hashing, whiteouts: true);
                    diffId = hashing.Digest();
                }

                size = file.Length;
                file.Position = 0;
                progress("Getting image source signatures");
                foreach (Descriptor baseLayer in baseManifest.Layers)
                {
                    progress($"Copying blob {baseLayer.Digest}");
                }

                progress($"Copying blob {diffId.Value}");
                await local.Content.IngestAsync(file, diffId, size, cancellationToken).ConfigureAwait(false);
            }

            var layerDescriptor = new Descriptor { MediaType = MediaTypes.OciLayer, Digest = diffId.Value, Size = size };
            return await RecordAsync(baseConfig, baseManifest, containerConfig, name, options, layerDescriptor, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private Task<ImageRecord> CommitConfigAsync(
        ImageConfig baseConfig, ImageManifest baseManifest, ContainerConfig containerConfig, string? name, CommitOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        progress("Getting image source signatures");
        foreach (Descriptor baseLayer in baseManifest.Layers)
        {
            progress($"Copying blob {baseLayer.Digest}");
        }

        return RecordAsync(baseConfig, baseManifest, containerConfig, name, options, null, progress, cancellationToken);
    }

    /// <summary>Writes the config and manifest over the base's layers and <paramref name="layer"/> (when one was added) and records the image.</summary>
    private async Task<ImageRecord> RecordAsync(
        ImageConfig baseConfig, ImageManifest baseManifest, ContainerConfig containerConfig, string? name, CommitOptions options, Descriptor? layer,
        Action<string> progress, CancellationToken cancellationToken)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var history = (baseConfig.History ?? []).ToList();
        history.Add(new HistoryEntry { Created = now, CreatedBy = options.CreatedBy, Author = options.Author, Comment = options.Comment, EmptyLayer = layer is null ? true : null });
        ImageConfig config = baseConfig with
        {
            Created = now,
            Author = options.Author,
            Config = containerConfig,
            RootFs = new RootFs { DiffIds = layer is null ? baseConfig.RootFs.DiffIds : [.. baseConfig.RootFs.DiffIds, layer.Digest] },
            History = history,
        };
        byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config, ManifestJsonContext.Default.ImageConfig);
        ImageManifest oci = OciConversion.ToOci(baseManifest);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256Of(configBytes).Value, Size = configBytes.Length },
            Layers = layer is null ? oci.Layers : [.. oci.Layers, layer],
        };
        if (options.DockerFormat)
        {
            manifest = OciConversion.ToDocker(manifest);
        }

        progress($"Copying config {manifest.Config.Digest}");
        progress("Writing manifest to image destination");
        progress("Storing signatures");
        byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.ImageManifest);
        return await new ImageCommitter(local).CommitAsync(manifestBytes, configBytes, name is null ? [] : [name], [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hashes what passes through to the layer file (the diff id), so the tar is written once.</summary>
    private sealed class HashingWriteStream(Stream inner) : Stream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public Digest Digest() => Core.Digests.Digest.FromSha256Hash(hash.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
