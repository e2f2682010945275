using System.Security.Cryptography;
using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Images.Archives;
using Skiff.Images.Manifests;
using Skiff.Images.References;
using Skiff.Images.Store;

namespace Skiff.Images.Local;

/// <summary>
/// <c>skiff import</c>: makes a one-layer image from a root filesystem tarball (plain or gzip, zstd, xz,
/// bzip2 compressed). The layer is stored uncompressed, so its blob digest is its diff id.
/// </summary>
public sealed class ImageImporter(LocalImages local, string temporaryDirectory)
{
    public async Task<ImageRecord> ImportAsync(Stream tarball, ImportOptions options, CancellationToken cancellationToken)
    {
        // Validate everything cheap before reading a possibly large stream.
        string? name = options.Reference is null ? null : ImageReference.Parse(options.Reference).LocalName;
        ContainerConfig containerConfig = ImageChanges.Apply(new ContainerConfig(), options.Changes);

        Directory.CreateDirectory(temporaryDirectory);
        string temp = Path.Combine(temporaryDirectory, $"import-{Guid.NewGuid():N}.tar");
        try
        {
            Digest diffId;
            long size;
            using (Stream plain = ArchiveCompression.Decompress(tarball))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = await plain.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }

                size = file.Length;
                diffId = Digest.FromSha256Hash(hash.GetHashAndReset());
            }

            await using (var file = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                await local.Content.IngestAsync(file, diffId, size, cancellationToken).ConfigureAwait(false);
            }

            DateTimeOffset now = DateTimeOffset.UtcNow;
            var config = new ImageConfig
            {
                Created = now,
                Architecture = options.Architecture,
                Os = "linux",
                Config = containerConfig,
                RootFs = new RootFs { DiffIds = [diffId.Value] },
                History = [new HistoryEntry { Created = now, CreatedBy = string.Empty, Comment = options.Message ?? $"Imported from {options.Source}" }],
            };
            byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config, ManifestJsonContext.Default.ImageConfig);
            var manifest = new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256Of(configBytes).Value, Size = configBytes.Length },
                Layers = [new Descriptor { MediaType = MediaTypes.OciLayer, Digest = diffId.Value, Size = size }],
            };
            byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.ImageManifest);
            return await new ImageCommitter(local).CommitAsync(manifestBytes, configBytes, name is null ? [] : [name], [], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
