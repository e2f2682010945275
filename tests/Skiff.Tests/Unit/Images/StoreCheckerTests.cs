using System.Text;
using Skiff.Core.Digests;
using Skiff.Images.Content;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.Store;
using Skiff.Images.Unpack;
using Skiff.Tests.Unit.Unpack;

namespace Skiff.Tests.Unit.Images;

/// <summary>Each store inconsistency made in a temp store: reported by the check, removed by repair, and nothing an image uses touched.</summary>
public sealed class StoreCheckerTests : IDisposable
{
    private static readonly StoreCheckOptions Thorough = new() { VerifyBlobs = true };

    private readonly string root = Directory.CreateTempSubdirectory("skiff-storecheck-").FullName;
    private readonly ContentStore content;
    private readonly LayerStore layers;
    private readonly ImageStore images;

    public StoreCheckerTests()
    {
        content = new ContentStore(root);
        layers = new LayerStore(root, new LayerStoreOptions { Whiteouts = WhiteoutStyle.OverlayTrusted });
        images = new ImageStore(root);
    }

    private string Scratch => Path.Combine(root, "tmp");

    private StoreChecker Checker => new(new LocalImages(images, content, null, layers), layers, root, Scratch);

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>
    /// Runs the checker, again while it finds the store busy: a process another test forks at that moment holds
    /// a copy of this process's lock descriptor, and with it the lock, until it execs (seen in CI as an empty
    /// report right after a repair).
    /// </summary>
    private StoreReport RunChecker(StoreCheckOptions options, bool repair)
    {
        for (int attempt = 0; ; attempt++)
        {
            StoreReport report = Checker.Run(options, repair);
            if (!report.Busy || attempt == 100)
            {
                return report;
            }

            Thread.Sleep(20);
        }
    }

    [Fact]
    public void A_consistent_store_has_no_problems_and_repair_keeps_everything()
    {
        ImageRecord image = StoreImage("kept");
        Assert.Empty(RunChecker(Thorough, repair: false).Found);
        StoreReport repaired = RunChecker(Thorough, repair: true);
        Assert.Empty(repaired.Found);
        AssertImageIntact(image);
    }

    [Fact]
    public void Blobs_no_image_uses_are_orphaned_and_removed()
    {
        ImageRecord image = StoreImage("kept");
        Digest orphan = content.Write(Encoding.UTF8.GetBytes("left by a failed load"));

        StoreProblem problem = Assert.Single(RunChecker(Thorough, repair: false).Found);
        Assert.Equal(StoreProblemKind.OrphanedBlob, problem.Kind);
        Assert.Equal($"blobs/sha256/{orphan.Hex}", problem.Subject);

        StoreReport report = RunChecker(Thorough, repair: true);
        Assert.Single(report.Repaired);
        Assert.Equal(21, report.FreedBytes);
        Assert.False(content.Contains(orphan));
        AssertImageIntact(image);
        Assert.Empty(RunChecker(Thorough, repair: false).Found);
    }

    [Fact]
    public void Unpacked_layers_no_image_uses_and_broken_layer_directories_are_removed()
    {
        ImageRecord image = StoreImage("kept");
        IReadOnlyList<Digest> orphan = TestLayers.Store(layers, new LayerTar().File("orphan", "o"));
        Directory.CreateDirectory(Path.Combine(root, "layers", new string('a', 64), "diff"));

        IReadOnlyList<StoreProblem> found = RunChecker(Thorough, repair: false).Found;
        Assert.Equal(2, found.Count(p => p.Kind == StoreProblemKind.OrphanedLayer));
        Assert.Contains(found, p => p.Subject == "layers/" + orphan[0].Hex);

        RunChecker(Thorough, repair: true);
        Assert.Null(layers.TryGet(orphan[0]));
        Assert.False(Directory.Exists(Path.Combine(root, "layers", new string('a', 64))));
        AssertImageIntact(image);
        Assert.Empty(RunChecker(Thorough, repair: false).Found);
    }

    [Fact]
    public void Half_written_blobs_are_removed_and_young_partials_survive_a_prune()
    {
        byte[] data = Encoding.UTF8.GetBytes("a download cut short");
        using (BlobIngest ingest = content.BeginIngest(Digest.Sha256Of(data), data.Length))
        {
            ingest.Append(data.AsSpan(0, 5));
        }

        string torn = Path.Combine(root, "blobs", "sha256", ".abc.123.def.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(torn)!);
        File.WriteAllText(torn, "half");
        string recordTemp = Path.Combine(root, "images", ".x.json.1.2.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(recordTemp)!);
        File.WriteAllText(recordTemp, "{");

        // A prune keeps a partial younger than its age limit for a resume; the temp files go.
        StoreReport prune = RunChecker(new StoreCheckOptions { PartialMinAge = TimeSpan.FromHours(1) }, repair: true);
        Assert.Equal(2, prune.Repaired.Count);
        Assert.Single(content.Partials());
        Assert.False(File.Exists(torn));
        Assert.False(File.Exists(recordTemp));

        File.SetLastWriteTimeUtc(Path.Combine(root, "ingest", content.Partials()[0].Name), DateTime.UtcNow.AddHours(-2));
        StoreReport old = RunChecker(new StoreCheckOptions { PartialMinAge = TimeSpan.FromHours(1) }, repair: true);
        Assert.False(old.Busy, "the store lock was not free");
        Assert.Equal(StoreProblemKind.HalfWrittenBlob, Assert.Single(old.Found).Kind);
        Assert.Equal(StoreProblemKind.HalfWrittenBlob, Assert.Single(old.Repaired).Kind);
        Assert.Empty(content.Partials());
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "ingest")));
    }

    [Fact]
    public async Task Stale_locks_are_removed_but_the_store_lock_stays()
    {
        byte[] data = Encoding.UTF8.GetBytes("finished");
        StoreImage("kept");
        await content.IngestAsync(new MemoryStream(data), Digest.Sha256Of(data), data.Length);
        content.Delete(Digest.Sha256Of(data));
        File.WriteAllText(Path.Combine(root, "layers", ".locks", new string('b', 64) + ".lock"), string.Empty);

        IReadOnlyList<StoreProblem> found = RunChecker(Thorough, repair: false).Found;
        Assert.Contains(found, p => p.Kind == StoreProblemKind.StaleLock && p.Subject.StartsWith("ingest/", StringComparison.Ordinal));
        Assert.Contains(found, p => p.Kind == StoreProblemKind.StaleLock && p.Subject == $"layers/.locks/{new string('b', 64)}.lock");

        RunChecker(Thorough, repair: true);
        Assert.Empty(RunChecker(Thorough, repair: false).Found);
        Assert.True(File.Exists(Path.Combine(root, "layers", ".locks", "gc.lock")));
    }

    [Fact]
    public void Leftovers_of_killed_unpacks_and_loads_are_removed()
    {
        Directory.CreateDirectory(Path.Combine(root, "layers", ".tmp", new string('c', 64) + "-42-abc", "diff"));
        Directory.CreateDirectory(Path.Combine(Scratch, "load-123"));
        File.WriteAllText(Path.Combine(Scratch, "load-123", "layer.tar"), "x");

        IReadOnlyList<StoreProblem> found = RunChecker(Thorough, repair: false).Found;
        Assert.Equal(2, found.Count(p => p.Kind == StoreProblemKind.Leftover));

        RunChecker(Thorough, repair: true);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "layers", ".tmp")));
        Assert.Empty(Directory.GetFileSystemEntries(Scratch));
    }

    [Fact]
    public void A_corrupt_blob_is_removed_and_its_image_reported_as_missing_content()
    {
        ImageRecord image = StoreImage("damaged");
        ImageManifest manifest = new LocalImages(images, content).Manifest(image);
        string layerPath = content.BlobPath(manifest.Layers[0].ParsedDigest);
        byte[] bytes = File.ReadAllBytes(layerPath);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(layerPath, bytes);

        StoreProblem corrupt = Assert.Single(RunChecker(Thorough, repair: false).Found);
        Assert.Equal(StoreProblemKind.CorruptBlob, corrupt.Kind);

        RunChecker(Thorough, repair: true);
        StoreProblem missing = Assert.Single(RunChecker(Thorough, repair: false).Found);
        Assert.Equal(StoreProblemKind.MissingContent, missing.Kind);
        Assert.False(missing.Repairable);
        Assert.Contains("skiff rmi", missing.Fix, StringComparison.Ordinal);
        Assert.NotNull(images.TryGet(Digest.Parse(image.Id)));
    }

    [Fact]
    public void Without_every_manifest_no_blob_counts_as_orphaned()
    {
        ImageRecord image = StoreImage("nomanifest");
        content.Delete(Digest.Parse(image.ManifestDigest));

        IReadOnlyList<StoreProblem> found = RunChecker(Thorough, repair: true).Found;
        Assert.Equal(StoreProblemKind.MissingContent, Assert.Single(found).Kind);
        Assert.True(content.Contains(Digest.Parse(image.Id)));
    }

    [Fact]
    public void Nothing_is_examined_while_another_process_holds_the_store()
    {
        content.Write(Encoding.UTF8.GetBytes("written by a load that is still running"));
        using (layers.HoldForUse())
        {
            StoreReport busy = Checker.Run(Thorough, repair: true);
            Assert.True(busy.Busy);
            Assert.Empty(busy.Repaired);
        }

        Assert.Single(RunChecker(Thorough, repair: false).Found);
    }

    /// <summary>A one-layer image: blobs in the content store, the layer unpacked, the record written.</summary>
    private ImageRecord StoreImage(string name)
    {
        byte[] tar = new LayerTar().File(name, name).ToBytes();
        Digest diffId = Digest.Sha256Of(tar);
        byte[] gz = TestLayers.Gzip(tar);
        Digest layer = content.Write(gz);
        byte[] config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{diffId}\"]}}}}");
        Digest configDigest = content.Write(config);
        byte[] manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"config\":{{\"mediaType\":\"{MediaTypes.OciConfig}\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}},"
            + $"\"layers\":[{{\"mediaType\":\"{MediaTypes.OciLayer}+gzip\",\"digest\":\"{layer}\",\"size\":{gz.Length}}}]}}");
        Digest manifestDigest = content.Write(manifest);
        layers.Ensure(ChainIds.Compute([diffId])[0], null, diffId, () => new MemoryStream(gz));
        var record = new ImageRecord
        {
            Id = configDigest.Value,
            ManifestDigest = manifestDigest.Value,
            Names = [$"localhost/{name}:latest"],
            DiffIds = [diffId.Value],
        };
        using (images.Lock())
        {
            images.Put(record);
        }

        return record;
    }

    private void AssertImageIntact(ImageRecord image)
    {
        Assert.NotNull(images.TryGet(Digest.Parse(image.Id)));
        Assert.True(content.Contains(Digest.Parse(image.Id)));
        Assert.True(content.Contains(Digest.Parse(image.ManifestDigest)));
        Assert.NotNull(layers.TryGet(ChainIds.Compute([Digest.Parse(image.DiffIds[0])])[0]));
    }
}
