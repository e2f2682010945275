using Skiff.Core.Digests;
using Skiff.Core.Files;
using Skiff.Images.Files;

namespace Skiff.Images.Snapshots;

/// <summary>
/// The owner-shifted image copies of <see cref="MappedCopySnapshotter"/> under <c>&lt;root&gt;/mapped-images/</c>:
/// one directory per layer chain and id map (its <c>key</c> file lists the chain ids, then the map), and its
/// lock file beside it. A copy is needed while an image with its layers exists or a container mounts it;
/// the others are orphans that rmi, image prune and system check remove.
/// </summary>
public sealed class MappedCopies(string cacheRoot)
{
    public const string DirectoryName = "mapped-images";

    public string Root => cacheRoot;

    /// <summary>The copies on disk: name, the top chain id from its key (null when the copy never finished), and its size.</summary>
    public IReadOnlyList<MappedCopy> List()
    {
        var copies = new List<MappedCopy>();
        if (!Directory.Exists(cacheRoot))
        {
            return copies;
        }

        foreach (string directory in Directory.EnumerateDirectories(cacheRoot))
        {
            string name = Path.GetFileName(directory);
            Digest? top = null;
            try
            {
                string keyFile = Path.Combine(directory, "key");
                if (File.Exists(keyFile))
                {
                    top = File.ReadLines(keyFile).Where(l => l.StartsWith("sha256:", StringComparison.Ordinal)).Select(l => (Digest?)Digest.Parse(l)).LastOrDefault();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or Core.Errors.SkiffException)
            {
                top = null;
            }

            copies.Add(new MappedCopy(name, top, SizeOf(directory)));
        }

        return copies;
    }

    /// <summary>
    /// The copies no image and no container needs: the top of the chain is no stored image's layer, and no
    /// container's mounts name the copy. A copy without a key is an unfinished one, an orphan too unless its lock is held.
    /// </summary>
    public IReadOnlyList<MappedCopy> Orphans(IReadOnlySet<Digest> imageChains, IReadOnlySet<string> usedByContainers) =>
        List().Where(c => !usedByContainers.Contains(c.Name) && (c.TopChainId is not { } top || !imageChains.Contains(top))).ToList();

    /// <summary>Removes one copy and its lock file; false when another process holds its lock (it is being made right now).</summary>
    public bool TryRemove(string name)
    {
        string directory = Path.Combine(cacheRoot, name);
        string lockPath = directory + ".lock";
        using (FileLock? held = File.Exists(lockPath) ? FileLock.TryAcquire(lockPath) : null)
        {
            if (held is null && File.Exists(lockPath))
            {
                return false;
            }

            if (Directory.Exists(directory))
            {
                using DirectoryHandle parent = DirectoryHandle.Open(cacheRoot);
                parent.RemoveTree(name);
            }
        }

        File.Delete(lockPath);
        return true;
    }

    /// <summary>Removes every orphan it can; returns the bytes freed.</summary>
    public long Sweep(IReadOnlySet<Digest> imageChains, IReadOnlySet<string> usedByContainers)
    {
        long freed = 0;
        foreach (MappedCopy orphan in Orphans(imageChains, usedByContainers))
        {
            if (TryRemove(orphan.Name))
            {
                freed += orphan.Size;
            }
        }

        return freed;
    }

    /// <summary>
    /// The copy names that <paramref name="mounts"/>' sources and overlay lower directories point into
    /// (a container's rootfs mounts as stored in its config).
    /// </summary>
    public IEnumerable<string> NamesUsedBy(IEnumerable<Core.Mounts.MountSpec> mounts)
    {
        string prefix = cacheRoot.TrimEnd('/') + "/";
        foreach (Core.Mounts.MountSpec mount in mounts)
        {
            IEnumerable<string> paths = [mount.Source, .. mount.Options.Where(o => o.StartsWith("lowerdir=", StringComparison.Ordinal)).SelectMany(o => o["lowerdir=".Length..].Split(':'))];
            foreach (string path in paths)
            {
                if (path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    yield return path[prefix.Length..].Split('/')[0];
                }
            }
        }
    }

    private static long SizeOf(string directory)
    {
        long total = 0;
        try
        {
            foreach (FileInfo file in new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true }))
            {
                total += file.Length;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable parts (owned by subordinate ids outside the user namespace) count as nothing.
        }

        return total;
    }
}
