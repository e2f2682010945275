using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Images.Files;
using Skiff.Images.Local;

namespace Skiff.Images.Unpack;

/// <summary>
/// Unpacked layers keyed by chain id: <c>&lt;root&gt;/layers/&lt;chain-hex&gt;/{diff/,layer.json}</c>, shared by
/// every image that has the same layer stack. A layer is extracted into <c>layers/.tmp/</c> with its
/// layer.json written inside, then renamed into place: a layer directory exists complete or not at all,
/// and leftovers of a killed extraction are removed by the next one (or by GC) once nobody holds their lock.
/// A per-layer flock makes parallel pulls of overlapping images extract each layer once; a store-wide
/// shared lock (<see cref="HoldForUse"/>) keeps GC from removing layers an unfinished pull has just made.
/// </summary>
public sealed class LayerStore : ILayerCollector
{
    private const string InfoFile = "layer.json";
    private const string DiffDirectory = "diff";
    private readonly string layersDirectory;
    private readonly string tempDirectory;
    private readonly string locksDirectory;
    private readonly LayerStoreOptions options;

    public LayerStore(string storeRoot, LayerStoreOptions options)
    {
        layersDirectory = Path.Combine(storeRoot, "layers");
        tempDirectory = Path.Combine(layersDirectory, ".tmp");
        locksDirectory = Path.Combine(layersDirectory, ".locks");
        this.options = options;
    }

    public WhiteoutStyle Whiteouts => options.Whiteouts;

    /// <summary>The diff directory of a layer (whether or not it exists).</summary>
    public string DiffPath(Digest chainId) => Path.Combine(LayerDirectory(chainId), DiffDirectory);

    public LayerInfo? TryGet(Digest chainId)
    {
        string file = Path.Combine(LayerDirectory(chainId), InfoFile);
        try
        {
            return LayerInfoJsonReader.Read(File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public LayerInfo Get(Digest chainId) =>
        TryGet(chainId) ?? throw SkiffException.NotFound($"layer {chainId} is not unpacked", "pull the image again");

    public IReadOnlyList<LayerInfo> List()
    {
        var layers = new List<LayerInfo>();
        if (!Directory.Exists(layersDirectory))
        {
            return layers;
        }

        foreach (string directory in Directory.EnumerateDirectories(layersDirectory))
        {
            string name = Path.GetFileName(directory);
            if (!name.StartsWith('.') && Digest.TryParse("sha256:" + name, out Digest chainId) && TryGet(chainId) is { } info)
            {
                layers.Add(info);
            }
        }

        return layers;
    }

    /// <summary>
    /// A shared hold on the store: while any is held, <see cref="RemoveUnreferenced"/> waits. Pull and
    /// load take it before unpacking and release it after the image record is written.
    /// </summary>
    public IDisposable HoldForUse() => FileLock.Acquire(GcLockPath, shared: true);

    /// <summary>
    /// Returns the layer <paramref name="chainId"/>, extracting it from <paramref name="openBlob"/> if it is
    /// not stored yet. The parent layer must already be stored. The uncompressed stream must hash to
    /// <paramref name="diffId"/>, or nothing is stored.
    /// </summary>
    public LayerInfo Ensure(Digest chainId, Digest? parentChainId, Digest diffId, Func<Stream> openBlob)
    {
        if (TryGet(chainId) is { } existing)
        {
            return existing;
        }

        using FileLock layerLock = FileLock.Acquire(LockPath(chainId));
        if (TryGet(chainId) is { } made)
        {
            return made;
        }

        RemoveLeftovers(chainId);
        List<Digest> lowers = LowerChain(parentChainId);
        Directory.CreateDirectory(tempDirectory);
        using (DirectoryHandle temp = DirectoryHandle.Open(tempDirectory))
        {
            temp.TryMarkTopDirectory();
        }

        string work = Path.Combine(tempDirectory, $"{chainId.Hex}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            LayerInfo info = Extract(work, chainId, parentChainId, diffId, openBlob, lowers);
            string final = LayerDirectory(chainId);
            if (Directory.Exists(final))
            {
                // A layer directory without a readable layer.json is debris from an older, broken run.
                using DirectoryHandle layers = DirectoryHandle.Open(layersDirectory);
                layers.RemoveTree(chainId.Hex);
            }

            Directory.Move(work, final);
            AtomicFile.SyncDirectory(layersDirectory);
            return info;
        }
        catch
        {
            TryRemove(tempDirectory, Path.GetFileName(work));
            throw;
        }
    }

    /// <summary>
    /// Removes every layer whose chain id is not in <paramref name="inUse"/> (pass every chain id of every
    /// stored image, not only the top ones), and extraction leftovers. Returns the removed chain ids.
    /// </summary>
    public IReadOnlyList<Digest> RemoveUnreferenced(IEnumerable<Digest> inUse)
    {
        using FileLock gc = FileLock.Acquire(GcLockPath);
        return RemoveUnreferencedHeld(inUse);
    }

    /// <summary>
    /// The exclusive side of <see cref="HoldForUse"/> without waiting: null while a pull, load, import or
    /// run holds the store. While held, nothing else is writing blobs, partials, layers or scratch files.
    /// </summary>
    public FileLock? TryHoldExclusive()
    {
        Directory.CreateDirectory(locksDirectory);
        return FileLock.TryAcquire(GcLockPath);
    }

    /// <summary>Names in layers/ that are not complete layers (no readable layer.json): debris of older, broken runs.</summary>
    public IReadOnlyList<string> BrokenLayerDirectories() => !Directory.Exists(layersDirectory) ? []
        : Directory.EnumerateDirectories(layersDirectory).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.') && !(Digest.TryParse("sha256:" + n, out Digest id) && TryGet(id) is not null))
            .ToList();

    /// <summary>Entries in layers/.tmp: extractions or removals that a killed process left.</summary>
    public IReadOnlyList<string> Leftovers() => !Directory.Exists(tempDirectory) ? []
        : Directory.EnumerateFileSystemEntries(tempDirectory).Select(Path.GetFileName).OfType<string>().ToList();

    /// <summary>Per-layer lock files whose layer does not exist (the store lock is not one of them).</summary>
    public IReadOnlyList<string> StaleLocks() => !Directory.Exists(locksDirectory) ? []
        : Directory.EnumerateFiles(locksDirectory, "*.lock").Select(Path.GetFileName).OfType<string>()
            .Where(n => n != "gc.lock" && !Directory.Exists(Path.Combine(layersDirectory, n[..^".lock".Length])))
            .ToList();

    /// <summary>Deletes a per-layer lock file; call only while holding <see cref="TryHoldExclusive"/>.</summary>
    public void RemoveLock(string name)
    {
        if (name != "gc.lock" && !name.Contains('/', StringComparison.Ordinal))
        {
            File.Delete(Path.Combine(locksDirectory, name));
        }
    }

    /// <summary><see cref="RemoveUnreferenced"/> for a caller that already holds <see cref="TryHoldExclusive"/>.</summary>
    public IReadOnlyList<Digest> RemoveUnreferencedHeld(IEnumerable<Digest> inUse)
    {
        var keep = new HashSet<string>(inUse.Select(d => d.Hex), StringComparer.Ordinal);
        var removed = new List<Digest>();
        if (!Directory.Exists(layersDirectory))
        {
            return removed;
        }

        using DirectoryHandle layers = DirectoryHandle.Open(layersDirectory);
        foreach (DirectoryEntry entry in layers.List())
        {
            if (entry.Name.StartsWith('.') || keep.Contains(entry.Name) || !Digest.TryParse("sha256:" + entry.Name, out Digest chainId))
            {
                continue;
            }

            using FileLock? held = FileLock.TryAcquire(LockPath(chainId));
            if (held is null)
            {
                continue;
            }

            // Rename first so a crash mid-removal leaves debris in .tmp, never a half-deleted layer.
            Directory.CreateDirectory(tempDirectory);
            using DirectoryHandle temp = DirectoryHandle.Open(tempDirectory);
            string doomed = $"{entry.Name}-removing-{Guid.NewGuid():N}";
            layers.Rename(entry.Name, temp, doomed);
            temp.RemoveTree(doomed);
            removed.Add(chainId);
        }

        CleanLeftovers();
        return removed;
    }

    void ILayerCollector.RemoveUnreferenced(IReadOnlyCollection<Digest> inUse) => RemoveUnreferenced(inUse);

    /// <summary>Removes extraction leftovers of killed processes (those whose layer lock is free).</summary>
    public void CleanLeftovers()
    {
        if (!Directory.Exists(tempDirectory))
        {
            return;
        }

        using DirectoryHandle temp = DirectoryHandle.Open(tempDirectory);
        foreach (DirectoryEntry entry in temp.List())
        {
            string hex = entry.Name.Split('-')[0];
            if (!Digest.TryParse("sha256:" + hex, out Digest chainId))
            {
                temp.RemoveTree(entry.Name);
                continue;
            }

            using FileLock? held = FileLock.TryAcquire(LockPath(chainId));
            if (held is not null)
            {
                temp.RemoveTree(entry.Name);
            }
        }
    }

    private LayerInfo Extract(string work, Digest chainId, Digest? parentChainId, Digest diffId, Func<Stream> openBlob, List<Digest> lowers)
    {
        Directory.CreateDirectory(Path.Combine(work, DiffDirectory));
        var lowerHandles = new List<DirectoryHandle>();
        try
        {
            foreach (Digest lower in lowers)
            {
                lowerHandles.Add(DirectoryHandle.Open(DiffPath(lower)));
            }

            ApplyResult result;
            string actual;
            long tarSize;
            using (DirectoryHandle diff = DirectoryHandle.Open(Path.Combine(work, DiffDirectory)))
            {
                // Decompression and hashing run on the read-ahead thread while this one writes the files.
                var hashing = new BoundedHashingStream(LayerDecompressor.Open(openBlob()), options.MaxLayerBytes);
                using (var tar = new ReadAheadStream(hashing))
                {
                    result = new LayerApplier().Apply(
                        new TarEntrySource(tar, options.MaxLayerEntries),
                        diff,
                        new ApplyOptions { Whiteouts = options.Whiteouts, MaxEntries = options.MaxLayerEntries, Lowers = lowerHandles });
                    tar.Drain();
                    actual = hashing.DrainAndDigest();
                    tarSize = hashing.BytesRead;
                }

                // One flush of the filesystem instead of an fsync per file (as containers/storage and
                // containerd do): the layer is renamed into place only after its data is on disk.
                diff.SyncFileSystem();
            }

            if (actual != diffId.Value)
            {
                throw SkiffException.InvalidArgument(
                    $"layer {chainId.Short}: uncompressed content has digest {actual}, but the image config says {diffId}",
                    "the image is corrupt or was tampered with; pull it again or ask its publisher");
            }

            var info = new LayerInfo
            {
                ChainId = chainId.Value,
                DiffId = diffId.Value,
                Parent = parentChainId?.Value,
                Size = result.ContentBytes,
                TarSize = tarSize,
                WhiteoutStyle = options.Whiteouts == WhiteoutStyle.OverlayUser ? "overlay-user" : "overlay-trusted",
                Whiteouts = result.Whiteouts,
                OpaqueDirectories = result.OpaqueDirectories,
                Warnings = result.Warnings,
                Created = DateTimeOffset.UtcNow,
            };
            AtomicFile.WriteAllBytes(Path.Combine(work, InfoFile), JsonSerializer.SerializeToUtf8Bytes(info, LayerJsonContext.Default.LayerInfo));
            return info;
        }
        finally
        {
            foreach (DirectoryHandle handle in lowerHandles)
            {
                handle.Dispose();
            }
        }
    }

    /// <summary>The stored layers below a layer, topmost first.</summary>
    public List<Digest> LowerChain(Digest? parentChainId)
    {
        var chain = new List<Digest>();
        for (Digest? current = parentChainId; current is Digest id;)
        {
            LayerInfo parent = TryGet(id) ?? throw SkiffException.Internal($"parent layer {id} is not unpacked");
            chain.Add(id);
            current = parent.Parent is null ? null : Digest.Parse(parent.Parent);
            if (chain.Count > 1000)
            {
                throw SkiffException.Internal($"layer chain below {parentChainId} is longer than 1000 layers");
            }
        }

        return chain;
    }

    private void RemoveLeftovers(Digest chainId)
    {
        if (!Directory.Exists(tempDirectory))
        {
            return;
        }

        using DirectoryHandle temp = DirectoryHandle.Open(tempDirectory);
        foreach (DirectoryEntry entry in temp.List())
        {
            if (entry.Name.StartsWith(chainId.Hex + "-", StringComparison.Ordinal))
            {
                temp.RemoveTree(entry.Name);
            }
        }
    }

    private static void TryRemove(string parent, string name)
    {
        try
        {
            using DirectoryHandle handle = DirectoryHandle.Open(parent);
            handle.RemoveTree(name);
        }
        catch (SkiffException)
        {
            // The next extraction of this layer or GC removes it.
        }
    }

    private string GcLockPath => Path.Combine(locksDirectory, "gc.lock");

    private string LayerDirectory(Digest chainId) => Path.Combine(layersDirectory, chainId.Hex);

    private string LockPath(Digest chainId) => Path.Combine(locksDirectory, chainId.Hex + ".lock");
}
