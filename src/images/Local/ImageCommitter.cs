using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;
using Skiff.Images.Store;

namespace Skiff.Images.Local;

/// <summary>
/// Turns blobs already verified in the content store into a stored image: writes the config and
/// manifest blobs, unpacks the layers, and records the image with its names (which move away from any
/// image that had them). Used by import and load.
/// </summary>
public sealed class ImageCommitter(LocalImages local)
{
    public async Task<ImageRecord> CommitAsync(byte[] manifestBytes, byte[] configBytes, IReadOnlyList<string> names, IReadOnlyList<string> repoDigests, CancellationToken cancellationToken)
    {
        ImageManifest manifest = JsonSerializer.Deserialize(manifestBytes, ManifestJsonContext.Default.ImageManifest)
            ?? throw SkiffException.InvalidArgument("empty image manifest");
        ImageConfig config = JsonSerializer.Deserialize(configBytes, ManifestJsonContext.Default.ImageConfig)
            ?? throw SkiffException.InvalidArgument("empty image configuration");
        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
        {
            throw SkiffException.InvalidArgument($"the image configuration lists {config.RootFs.DiffIds.Count} layers but its manifest {manifest.Layers.Count}");
        }

        foreach (string diffId in config.RootFs.DiffIds)
        {
            Digest.Parse(diffId);
        }

        Digest configDigest = local.Content.Write(configBytes, manifest.Config.ParsedDigest);
        Digest manifestDigest = local.Content.Write(manifestBytes);
        long size = local.Unpacker is not null
            ? await local.Unpacker.UnpackAsync(manifest, config, cancellationToken).ConfigureAwait(false)
            : manifest.Layers.Sum(l => l.Size);

        var record = new ImageRecord
        {
            Id = configDigest.Value,
            ManifestDigest = manifestDigest.Value,
            ManifestMediaType = manifest.MediaType ?? MediaTypes.OciManifest,
            Names = names,
            Digests = repoDigests,
            Created = config.Created ?? DateTimeOffset.UnixEpoch,
            Stored = DateTimeOffset.UtcNow,
            DiffIds = config.RootFs.DiffIds,
            Size = size,
            Architecture = config.Architecture,
            Os = config.Os,
            Variant = config.Variant,
        };

        using (local.Images.Lock())
        {
            ImageRecord? existing = local.Images.TryGet(configDigest);
            if (existing is not null)
            {
                record = record with
                {
                    Names = existing.Names.Concat(record.Names).Distinct().ToList(),
                    Digests = existing.Digests.Concat(record.Digests).Distinct().ToList(),
                    Stored = existing.Stored,
                };
            }

            local.Images.Put(record);
        }

        return record;
    }
}
