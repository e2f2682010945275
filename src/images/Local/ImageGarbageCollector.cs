using Skiff.Core.Digests;
using Skiff.Images.Manifests;
using Skiff.Images.Store;

namespace Skiff.Images.Local;

/// <summary>
/// After images are removed, deletes their blobs (manifest, config, layers, index) that no remaining
/// image references, and asks the layer store to drop unpacked layers no remaining image uses. Only blobs
/// of the removed images are candidates, so blobs a concurrent pull has just fetched are never touched.
/// </summary>
public sealed class ImageGarbageCollector(LocalImages local)
{
    /// <returns>Bytes of blobs deleted.</returns>
    public long Collect(IReadOnlyList<ImageRecord> removed, IReadOnlyList<ManifestOrNull> removedManifests)
    {
        IReadOnlyList<ImageRecord> remaining = local.Images.List();
        var referenced = new HashSet<Digest>();
        var chainIds = new HashSet<Digest>();
        foreach (ImageRecord image in remaining)
        {
            foreach (Digest digest in BlobsOf(image, TryManifest(image)))
            {
                referenced.Add(digest);
            }

            foreach (Digest chain in ChainIds.Compute(image.DiffIds.Select(Digest.Parse).ToList()))
            {
                chainIds.Add(chain);
            }
        }

        long freed = 0;
        for (int i = 0; i < removed.Count; i++)
        {
            foreach (Digest digest in BlobsOf(removed[i], removedManifests[i].Manifest))
            {
                if (referenced.Add(digest))
                {
                    freed += local.Content.SizeOf(digest) ?? 0;
                    local.Content.Delete(digest);
                }
            }
        }

        local.Layers?.RemoveUnreferenced(chainIds);
        return freed;
    }

    /// <summary>Reads a manifest before its image is removed (so its layers can be collected after).</summary>
    public ManifestOrNull Capture(ImageRecord image) => new(TryManifest(image));

    private ImageManifest? TryManifest(ImageRecord image)
    {
        try
        {
            return local.Manifest(image);
        }
        catch (Exception e) when (e is Core.Errors.SkiffException or System.Text.Json.JsonException or IOException)
        {
            return null;
        }
    }

    /// <summary>Every blob an image needs: config, manifest, the indexes it was pulled through, its layers.</summary>
    internal static IEnumerable<Digest> BlobsOf(ImageRecord image, ImageManifest? manifest)
    {
        if (Digest.TryParse(image.Id, out Digest config))
        {
            yield return config;
        }

        if (Digest.TryParse(image.ManifestDigest, out Digest manifestDigest))
        {
            yield return manifestDigest;
        }

        foreach (string repoDigest in image.Digests)
        {
            int at = repoDigest.IndexOf('@');
            if (at >= 0 && Digest.TryParse(repoDigest[(at + 1)..], out Digest top))
            {
                yield return top;
            }
        }

        foreach (Descriptor layer in manifest?.Layers ?? [])
        {
            if (Digest.TryParse(layer.Digest, out Digest digest))
            {
                yield return digest;
            }
        }
    }
}
