using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Content;
using Skiff.Images.Manifests;
using Skiff.Images.References;
using Skiff.Images.Registry.Configuration;
using Skiff.Images.Store;
using Skiff.Images.Unpack;

namespace Skiff.Images.Registry.Pulling;

/// <summary>
/// Pulls an image: resolves a short name to candidates (registries.conf), tries mirrors then the
/// registry, picks the platform from an index, downloads layers concurrently into the verified content
/// store, then unpacks and finally records the image. The record is written last, so an interrupted
/// pull leaves only verified blobs and resumable partial downloads, never a half image.
/// </summary>
public sealed class ImagePuller(RegistryConnector connector, ContentStore content, ImageStore images, ILayerUnpacker? unpacker, IPullProgress progress)
{
    /// <summary>Image configurations are small JSON; this bounds what skiff reads into memory.</summary>
    public const int MaxConfigSize = 16 * 1024 * 1024;

    public async Task<PullResult> PullAsync(PullOptions options, CancellationToken cancellationToken)
    {
        ImageReference reference = ImageReference.Parse(options.Reference);
        IReadOnlyList<ImageReference> candidates = new ShortNameResolver(connector.Config).Candidates(reference);
        var failures = new List<(ImageReference Candidate, SkiffException Error)>();
        foreach (ImageReference candidate in candidates)
        {
            try
            {
                return await PullCandidateAsync(candidate, options, cancellationToken).ConfigureAwait(false);
            }
            catch (SkiffException e) when (candidates.Count > 1)
            {
                failures.Add((candidate, e));
            }
        }

        SkiffException first = failures[0].Error;
        throw new SkiffException(
            failures.All(f => f.Error.Kind == ErrorKind.NotFound) ? ErrorKind.NotFound : first.Kind,
            $"{options.Reference}: pulling from every candidate failed: " + string.Join("; ", failures.Select(f => $"{f.Candidate}: {f.Error.Message}")),
            first.Hint);
    }

    private async Task<PullResult> PullCandidateAsync(ImageReference candidate, PullOptions options, CancellationToken cancellationToken)
    {
        string name = candidate.Name;
        progress.Trying(candidate.Digest is null ? candidate.NameWithTag : candidate.ToString());
        RegistryEntry? entry = connector.Config.FindEntry(name);
        if (entry is { Blocked: true })
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"registry {candidate.Registry} is blocked in registries.conf", "remove blocked = true for it to pull from there");
        }

        var sources = new List<(string Name, bool Insecure)>();
        if (entry is not null)
        {
            string rest = entry.Prefix.StartsWith("*.", StringComparison.Ordinal) ? string.Empty : name[entry.Prefix.Length..];
            sources.AddRange(entry.Mirrors.Select(m => (m.Location + rest, connector.IsInsecure(name, m.Insecure))));
        }

        sources.Add((entry?.Rewrite(name) ?? name, connector.IsInsecure(name, entry?.Insecure ?? false)));
        SkiffException? last = null;
        foreach ((string sourceName, bool insecure) in sources)
        {
            try
            {
                return await PullFromAsync(candidate, sourceName, insecure, options, cancellationToken).ConfigureAwait(false);
            }
            catch (SkiffException e) when (sourceName != sources[^1].Name)
            {
                last = e;
            }
        }

        throw last ?? SkiffException.Internal("no pull source");
    }

    private async Task<PullResult> PullFromAsync(ImageReference candidate, string sourceName, bool insecure, PullOptions options, CancellationToken cancellationToken)
    {
        int slash = sourceName.IndexOf('/');
        string registry = sourceName[..slash];
        string repository = sourceName[(slash + 1)..];
        using RegistrySession session = connector.Open(registry, insecure, sourceName, [RegistrySession.PullScope(repository)]);
        await session.PingAsync(cancellationToken).ConfigureAwait(false);
        var client = new DistributionClient(session, repository);

        string wanted = candidate.Digest?.Value ?? candidate.TagOrDefault ?? ImageReference.DefaultTag;
        ManifestDocument top = await client.GetManifestAsync(wanted, cancellationToken).ConfigureAwait(false);
        ManifestDocument image = top;
        if (top.Index is ImageIndex index)
        {
            Descriptor chosen = PlatformSelector.Select(index, options.Platform ?? PlatformSelector.Host(), candidate.ToString());
            image = await client.GetManifestAsync(chosen.Digest, cancellationToken).ConfigureAwait(false);
            if (image.Manifest is null)
            {
                throw SkiffException.InvalidArgument($"{candidate}: the index entry for {chosen.Platform} is not an image manifest");
            }
        }

        ImageManifest manifest = image.Manifest!;
        progress.CopyingStarted();

        using (var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        using (var gate = new SemaphoreSlim(Math.Max(1, options.Concurrency)))
        {
            IEnumerable<Task> downloads = manifest.Layers.DistinctBy(l => l.Digest).Select(async layer =>
            {
                await gate.WaitAsync(failed.Token).ConfigureAwait(false);
                try
                {
                    await CopyBlobAsync(client, layer, failed.Token).ConfigureAwait(false);
                }
                catch
                {
                    await failed.CancelAsync().ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            try
            {
                await Task.WhenAll(downloads).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One download failed and cancelled the rest: report the real failure.
                throw downloads.Select(t => t.Exception?.InnerException).OfType<SkiffException>().FirstOrDefault()
                    ?? downloads.Select(t => t.Exception?.InnerException).First(e => e is not null and not OperationCanceledException)!;
            }
        }

        progress.CopyingConfig(manifest.Config.ParsedDigest);
        if (manifest.Config.Size > MaxConfigSize)
        {
            throw SkiffException.InvalidArgument($"{candidate}: the image configuration is {manifest.Config.Size} bytes, over the {MaxConfigSize} byte limit");
        }

        await client.DownloadBlobAsync(manifest.Config, content, null, cancellationToken).ConfigureAwait(false);
        ImageConfig config = ParseConfig(content.ReadAllBytes(manifest.Config.ParsedDigest, MaxConfigSize), manifest, candidate);

        progress.WritingManifest();
        content.Write(image.Bytes, image.Digest);
        if (top != image)
        {
            content.Write(top.Bytes, top.Digest);
        }

        long size = unpacker is not null
            ? await unpacker.UnpackAsync(manifest, config, cancellationToken).ConfigureAwait(false)
            : manifest.Layers.Sum(l => l.Size);

        ImageRecord record = Record(candidate, top, image, manifest, config, size);
        using (images.Lock())
        {
            // List() tolerates a store whose images/ directory does not exist yet.
            ImageRecord? existing = images.List().FirstOrDefault(r => r.Id == record.Id);
            if (existing is not null)
            {
                record = record with
                {
                    Names = existing.Names.Concat(record.Names).Distinct().ToList(),
                    Digests = existing.Digests.Concat(record.Digests).Distinct().ToList(),
                    Stored = existing.Stored,
                };
            }

            images.Put(record);
        }

        return new PullResult(record, candidate.ToString());
    }

    private async Task CopyBlobAsync(DistributionClient client, Descriptor layer, CancellationToken cancellationToken)
    {
        Digest digest = layer.ParsedDigest;
        bool exists = content.Contains(digest);
        progress.BlobStarted(layer, exists);
        if (!exists)
        {
            await client.DownloadBlobAsync(layer, content, new Progress(progress, digest), cancellationToken).ConfigureAwait(false);
        }

        progress.BlobDone(digest);
    }

    private static ImageConfig ParseConfig(byte[] bytes, ImageManifest manifest, ImageReference candidate)
    {
        ImageConfig config;
        try
        {
            config = JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.ImageConfig)
                ?? throw SkiffException.InvalidArgument($"{candidate}: empty image configuration");
        }
        catch (JsonException e)
        {
            throw SkiffException.InvalidArgument($"{candidate}: invalid image configuration: {e.Message}");
        }

        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
        {
            throw SkiffException.InvalidArgument($"{candidate}: the configuration lists {config.RootFs.DiffIds.Count} layers but the manifest {manifest.Layers.Count}");
        }

        foreach (string diffId in config.RootFs.DiffIds)
        {
            if (!Digest.TryParse(diffId, out _))
            {
                throw SkiffException.InvalidArgument($"{candidate}: the configuration has an invalid layer digest \"{diffId}\"");
            }
        }

        return config;
    }

    private static ImageRecord Record(ImageReference candidate, ManifestDocument top, ManifestDocument image, ImageManifest manifest, ImageConfig config, long size)
    {
        var digests = new List<string> { $"{candidate.Name}@{top.Digest}" };
        if (image != top)
        {
            digests.Add($"{candidate.Name}@{image.Digest}");
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new ImageRecord
        {
            Id = manifest.Config.ParsedDigest.Value,
            ManifestDigest = image.Digest.Value,
            ManifestMediaType = image.MediaType,
            Names = candidate.Tag is not null || candidate.Digest is null ? [candidate.NameWithTag] : [],
            Digests = digests,
            Created = config.Created ?? DateTimeOffset.UnixEpoch,
            Stored = now,
            DiffIds = config.RootFs.DiffIds,
            Size = size,
            Architecture = config.Architecture,
            Os = config.Os,
            Variant = config.Variant,
        };
    }

    private sealed class Progress(IPullProgress sink, Digest digest) : IProgress<long>
    {
        public void Report(long value) => sink.BlobProgress(digest, value);
    }
}
