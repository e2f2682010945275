using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Images.Files;
using Skiff.Images.Manifests;
using Skiff.Images.Store;
using Skiff.Images.Unpack;

namespace Skiff.Images.Local;

/// <summary>
/// Finds (and with <see cref="Run"/>'s repair removes) what does not belong in a consistent image store:
/// blobs and unpacked layers no image uses, partial downloads and interrupted atomic writes, lock files of
/// things that are gone, leftovers of killed extractions and archive scratch space, corrupt blobs; and
/// reports images whose content is missing (those need a new pull, not a deletion).
/// Everything happens under the layer store's exclusive hold, which every pull, load, import, save and
/// run shares while it works: while the checker holds it, nothing is half-way through writing, so what
/// looks like debris is debris. When the store is busy nothing is examined (<see cref="StoreReport.Busy"/>).
/// </summary>
public sealed class StoreChecker(LocalImages local, LayerStore layers, string storeRoot, string scratchDirectory)
{
    /// <summary>The owner-shifted image copies (rootless --userns) to check; null when none are kept.</summary>
    public Snapshots.MappedCopies? MappedCopies { get; init; }

    /// <summary>The names of the copies that containers mount (read when the check runs).</summary>
    public Func<IReadOnlySet<string>> MappedCopiesInUse { get; init; } = () => new HashSet<string>();

    public StoreReport Run(StoreCheckOptions options, bool repair)
    {
        using FileLock? exclusive = layers.TryHoldExclusive();
        if (exclusive is null)
        {
            return StoreReport.InUse;
        }

        (List<StoreProblem> found, HashSet<Digest> chainsInUse) = Examine(options);
        if (!repair)
        {
            return new StoreReport(found, [], 0);
        }

        var repaired = new List<StoreProblem>();
        long freed = 0;
        foreach (StoreProblem problem in found.Where(p => p.Repairable && p.Kind is not (StoreProblemKind.OrphanedLayer or StoreProblemKind.Leftover)))
        {
            if (TryRepair(problem))
            {
                repaired.Add(problem);
                freed += problem.Bytes;
            }
        }

        if (found.Any(p => p.Kind == StoreProblemKind.OrphanedLayer))
        {
            layers.RemoveUnreferencedHeld(chainsInUse);
            foreach (string lockName in layers.StaleLocks())
            {
                // The removed layers' own lock files.
                layers.RemoveLock(lockName);
            }

            repaired.AddRange(found.Where(p => p.Kind == StoreProblemKind.OrphanedLayer));
            freed += found.Where(p => p.Kind == StoreProblemKind.OrphanedLayer).Sum(p => p.Bytes);
        }

        foreach (StoreProblem leftover in found.Where(p => p.Kind == StoreProblemKind.Leftover))
        {
            if (TryRepair(leftover))
            {
                repaired.Add(leftover);
            }
        }

        return new StoreReport(found, repaired, freed);
    }

    private (List<StoreProblem> Found, HashSet<Digest> ChainsInUse) Examine(StoreCheckOptions options)
    {
        var problems = new List<StoreProblem>();
        var referenced = new HashSet<Digest>();
        var chains = new HashSet<Digest>();
        bool allManifestsRead = true;
        foreach (ImageRecord image in local.Images.List())
        {
            string name = image.Names.FirstOrDefault() ?? image.Id;
            ImageManifest? manifest = null;
            try
            {
                manifest = local.Manifest(image);
            }
            catch (Exception e) when (e is SkiffException or JsonException or IOException or FormatException)
            {
                allManifestsRead = false;
                problems.Add(Missing(image, name, $"its manifest {image.ManifestDigest} is missing or unreadable"));
            }

            foreach (Digest digest in ImageGarbageCollector.BlobsOf(image, manifest))
            {
                referenced.Add(digest);
            }

            if (Digest.TryParse(image.Id, out Digest config) && !local.Content.Contains(config))
            {
                problems.Add(Missing(image, name, $"its configuration {config} is missing"));
            }

            foreach (Descriptor layer in manifest?.Layers ?? [])
            {
                if (Digest.TryParse(layer.Digest, out Digest blob) && !local.Content.Contains(blob))
                {
                    problems.Add(Missing(image, name, $"its layer {blob} is missing"));
                }
            }

            if (image.DiffIds.All(d => Digest.TryParse(d, out _)))
            {
                chains.UnionWith(ChainIds.Compute(image.DiffIds.Select(Digest.Parse).ToList()));
            }
        }

        foreach (Digest blob in local.Content.List())
        {
            long size = local.Content.SizeOf(blob) ?? 0;
            string subject = $"blobs/{blob.Algorithm}/{blob.Hex}";
            if (!referenced.Contains(blob))
            {
                // Without every manifest the set of used layer blobs is incomplete: deleting could hurt.
                if (allManifestsRead)
                {
                    problems.Add(new StoreProblem(StoreProblemKind.OrphanedBlob, subject, $"blob {blob} ({size} bytes) is not used by any image", "removed by repair and by 'skiff image prune'", size));
                }
            }
            else if (options.VerifyBlobs && !local.Content.Verify(blob))
            {
                problems.Add(new StoreProblem(StoreProblemKind.CorruptBlob, subject, $"blob {blob} does not match its digest (torn or damaged)", "removed by repair; pull the images that use it again", size));
            }
        }

        foreach (string temp in local.Content.TempFiles().Concat(TempFilesIn(Path.Combine(storeRoot, "images"))))
        {
            problems.Add(new StoreProblem(StoreProblemKind.HalfWrittenBlob, Path.GetRelativePath(storeRoot, temp), "an interrupted write left a temporary file", "removed by repair", new FileInfo(temp).Length));
        }

        DateTime now = DateTime.UtcNow;
        foreach ((string partial, long size, DateTime modified) in local.Content.Partials())
        {
            if (now - modified >= options.PartialMinAge)
            {
                problems.Add(new StoreProblem(StoreProblemKind.HalfWrittenBlob, "ingest/" + partial, $"a partial download ({size} bytes) that no pull is writing", "removed by repair (a new pull downloads it again)", size));
            }
        }

        foreach (string stale in local.Content.StaleIngestLocks())
        {
            problems.Add(new StoreProblem(StoreProblemKind.StaleLock, "ingest/" + stale, "a lock file of a download that is finished or gone", "removed by repair"));
        }

        foreach (LayerInfo layer in layers.List())
        {
            if (Digest.TryParse(layer.ChainId, out Digest chain) && !chains.Contains(chain))
            {
                problems.Add(new StoreProblem(StoreProblemKind.OrphanedLayer, "layers/" + chain.Hex, $"unpacked layer {chain.Short} ({layer.Size} bytes) is not used by any image", "removed by repair and by 'skiff image prune'", layer.Size));
            }
        }

        if (MappedCopies is { } copies)
        {
            foreach (Snapshots.MappedCopy orphan in copies.Orphans(chains, MappedCopiesInUse()))
            {
                string what = orphan.TopChainId is null
                    ? "an unfinished owner-shifted image copy"
                    : $"an owner-shifted image copy ({orphan.Size} bytes) whose image is gone and that no container uses";
                problems.Add(new StoreProblem(StoreProblemKind.OrphanedMappedCopy, $"{Snapshots.MappedCopies.DirectoryName}/{orphan.Name}", what, "removed by repair, by 'skiff rmi' and by 'skiff image prune'", orphan.Size));
            }
        }

        foreach (string broken in layers.BrokenLayerDirectories())
        {
            problems.Add(new StoreProblem(StoreProblemKind.OrphanedLayer, "layers/" + broken, "a layer directory without its layer.json (an unfinished unpack)", "removed by repair"));
        }

        foreach (string leftover in layers.Leftovers())
        {
            problems.Add(new StoreProblem(StoreProblemKind.Leftover, "layers/.tmp/" + leftover, "a killed unpack or removal left this behind", "removed by repair"));
        }

        foreach (string stale in layers.StaleLocks())
        {
            problems.Add(new StoreProblem(StoreProblemKind.StaleLock, "layers/.locks/" + stale, "a lock file of a layer that no longer exists", "removed by repair"));
        }

        if (Directory.Exists(scratchDirectory))
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(scratchDirectory))
            {
                problems.Add(new StoreProblem(StoreProblemKind.Leftover, Path.GetRelativePath(storeRoot, entry), "scratch space of a killed load, import or save", "removed by repair"));
            }
        }

        return (problems, chains);
    }

    private bool TryRepair(StoreProblem problem)
    {
        string[] parts = problem.Subject.Split('/');
        try
        {
            switch (problem.Kind, parts)
            {
                case (StoreProblemKind.OrphanedBlob or StoreProblemKind.CorruptBlob, ["blobs", var algorithm, var hex]):
                    local.Content.Delete(Digest.Parse($"{algorithm}:{hex}"));
                    return true;
                case (StoreProblemKind.HalfWrittenBlob or StoreProblemKind.StaleLock, ["ingest", var name]):
                    local.Content.RemoveIngestFile(name);
                    if (name.EndsWith(".partial", StringComparison.Ordinal))
                    {
                        local.Content.RemoveIngestFile(name + ".lock");
                    }

                    return true;
                case (StoreProblemKind.HalfWrittenBlob, _) when parts[^1].StartsWith('.') && parts[^1].EndsWith(".tmp", StringComparison.Ordinal):
                    File.Delete(Path.Combine(storeRoot, problem.Subject));
                    return true;
                case (StoreProblemKind.OrphanedMappedCopy, [_, var name]) when MappedCopies is not null:
                    return MappedCopies.TryRemove(name);
                case (StoreProblemKind.StaleLock, ["layers", ".locks", var name]):
                    layers.RemoveLock(name);
                    return true;
                case (StoreProblemKind.Leftover, ["layers", ".tmp", _]):
                    layers.CleanLeftovers();
                    return true;
                case (StoreProblemKind.Leftover, [_, var name]) when Path.Combine(storeRoot, parts[0]) == scratchDirectory:
                    using (DirectoryHandle scratch = DirectoryHandle.Open(scratchDirectory))
                    {
                        scratch.RemoveTree(name);
                    }

                    return true;
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SkiffException)
        {
            return false;
        }
    }

    private static IEnumerable<string> TempFilesIn(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, ".*.tmp") : [];

    private static StoreProblem Missing(ImageRecord image, string name, string what) =>
        new(StoreProblemKind.MissingContent, image.Id, $"image {name}: {what}", $"pull the image again, or remove it with 'skiff rmi {Digest.Parse(image.Id).Hex[..12]}'");
}
