using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Content;
using Skiff.Images.Manifests;
using Skiff.Images.References;
using Skiff.Images.Registry.Configuration;
using Skiff.Images.Registry.Pulling;
using Skiff.Images.Store;

namespace Skiff.Images.Registry.Pushing;

/// <summary>
/// Pushes a local image: blobs the registry already has are skipped (HEAD), blobs it holds in another
/// repository of the same registry are mounted, the rest are uploaded (one PUT, or PATCH chunks for
/// large blobs), then the manifest goes up under the tag. The image record learns the new
/// <c>name@digest</c>, so later pushes can mount from there.
/// </summary>
public sealed class ImagePusher(RegistryConnector connector, ContentStore content, ImageStore images, IPullProgress progress)
{
    public async Task<Digest> PushAsync(PushOptions options, CancellationToken cancellationToken)
    {
        ImageRecord record = images.TryResolve(options.Source)
            ?? throw SkiffException.NotFound($"{options.Source}: image not known", "see 'skiff images' for local images");
        ImageReference destination = Destination(options, record);
        RegistryEntry? entry = connector.Config.FindEntry(destination.Name);
        if (entry is { Blocked: true })
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"registry {destination.Registry} is blocked in registries.conf");
        }

        Digest manifestDigest = Digest.Parse(record.ManifestDigest);
        byte[] stored = content.ReadAllBytes(manifestDigest, ManifestDocument.MaxSize);
        ManifestDocument document = ManifestDocument.Parse(stored, record.ManifestMediaType, $"the local store ({record.Id})");
        ImageManifest manifest = document.Manifest
            ?? throw SkiffException.InvalidArgument($"{options.Source}: the stored manifest is not an image manifest");
        (byte[] bytes, string mediaType) = ManifestConverter.Convert(stored, manifest, document.MediaType, options.Format);

        string registry = destination.Registry!;
        string repository = destination.Repository;
        var mountSources = record.Digests
            .Select(d => d.Split('@')[0])
            .Where(name => name.StartsWith(registry + "/", StringComparison.Ordinal) && name != destination.Name)
            .Select(name => name[(registry.Length + 1)..])
            .Distinct()
            .ToList();
        var scopes = new List<string> { RegistrySession.PushScope(repository) };
        scopes.AddRange(mountSources.Select(RegistrySession.PullScope));
        bool insecure = connector.IsInsecure(destination.Name, entry?.Insecure ?? false);
        using RegistrySession session = connector.Open(registry, insecure, destination.Name, scopes);
        await session.PingAsync(cancellationToken).ConfigureAwait(false);
        var client = new DistributionClient(session, repository);

        progress.CopyingStarted();
        using (var gate = new SemaphoreSlim(Math.Max(1, options.Concurrency)))
        {
            await Task.WhenAll(manifest.Layers.DistinctBy(l => l.Digest).Select(async layer =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await PushBlobAsync(client, layer, mountSources, isConfig: false, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }

        progress.CopyingConfig(manifest.Config.ParsedDigest);
        await PushBlobAsync(client, manifest.Config, mountSources, isConfig: true, cancellationToken).ConfigureAwait(false);

        progress.WritingManifest();
        string tagOrDigest = destination.Tag ?? (destination.Digest is null ? ImageReference.DefaultTag : Digest.Sha256Of(bytes).Value);
        Digest pushed = await client.PutManifestAsync(tagOrDigest, bytes, mediaType, cancellationToken).ConfigureAwait(false);
        if (bytes != stored)
        {
            content.Write(bytes, pushed);
        }

        using (images.Lock())
        {
            ImageRecord? current = images.List().FirstOrDefault(r => r.Id == record.Id);
            string entryText = $"{destination.Name}@{pushed}";
            if (current is not null && !current.Digests.Contains(entryText))
            {
                images.Put(current with { Digests = [.. current.Digests, entryText] });
            }
        }

        return pushed;
    }

    private async Task PushBlobAsync(DistributionClient client, Descriptor blob, IReadOnlyList<string> mountSources, bool isConfig, CancellationToken cancellationToken)
    {
        Digest digest = blob.ParsedDigest;
        long? size = content.SizeOf(digest);
        if (size is null)
        {
            throw SkiffException.NotFound($"blob {digest} of the image is not in the local store", "pull or load the image again");
        }

        if (size != blob.Size)
        {
            throw SkiffException.Internal($"blob {digest} in the local store is {size} bytes, the manifest says {blob.Size}");
        }

        if (!isConfig)
        {
            progress.BlobStarted(blob, alreadyExists: false);
        }

        if (await client.BlobExistsAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            if (!isConfig)
            {
                progress.BlobDone(digest);
            }

            return;
        }

        string? location = null;
        foreach (string from in mountSources)
        {
            (bool mounted, string? upload) = await client.TryMountBlobAsync(digest, from, cancellationToken).ConfigureAwait(false);
            if (mounted)
            {
                if (!isConfig)
                {
                    progress.BlobDone(digest);
                }

                return;
            }

            location = upload;
            if (location is not null)
            {
                break;
            }
        }

        await client.UploadBlobAsync(digest, blob.Size, () => content.OpenRead(digest), location, new Progress(progress, digest), cancellationToken).ConfigureAwait(false);
        if (!isConfig)
        {
            progress.BlobDone(digest);
        }
    }

    private static ImageReference Destination(PushOptions options, ImageRecord record)
    {
        string text = options.Destination ?? options.Source;
        if (text.StartsWith("docker://", StringComparison.Ordinal))
        {
            text = text["docker://".Length..];
        }

        ImageReference reference = ImageReference.Parse(text);
        if (!reference.IsShortName)
        {
            return reference;
        }

        // A short local name pushes to the registry its stored name says (as podman does for localhost/…).
        string tag = reference.TagOrDefault ?? ImageReference.DefaultTag;
        string? stored = record.Names.FirstOrDefault(n => n.EndsWith($"/{reference.Repository}:{tag}", StringComparison.Ordinal));
        return stored is not null
            ? ImageReference.Parse(stored)
            : throw SkiffException.InvalidArgument($"{text}: the destination needs a registry", "push to registry/name[:tag], e.g. localhost:5000/" + reference.Repository);
    }

    private sealed class Progress(IPullProgress sink, Digest digest) : IProgress<long>
    {
        public void Report(long value) => sink.BlobProgress(digest, value);
    }
}
