using Skiff.Core.Digests;
using Skiff.Core.Mounts;
using Skiff.Core.Processes;
using Skiff.Images.Files;
using Skiff.Images.Snapshots;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Unpack;

/// <summary>
/// One contract, every snapshotter (model: containerd's snapshots testsuite): a view shows the merged
/// layers (whiteouts and opaque directories applied, owners, modes, links and xattrs kept), a writable
/// snapshot takes changes without touching the layers, and removal leaves nothing behind. Needs root
/// (mount); fuse-overlayfs also needs /dev/fuse, which root can always open.
/// </summary>
[Trait("Category", "Root")]
public sealed class SnapshotterContractTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("skiff-snap-").FullName;
    private readonly LayerStore store;
    private readonly IReadOnlyList<Digest> chainIds;
    private readonly List<string> mounted = [];

    public SnapshotterContractTests()
    {
        Assert.True(Environment.UserName == "root", "snapshotter contract tests mount filesystems and must run as root (tests/run.sh does)");
        store = new LayerStore(Path.Combine(temp, "store"), new LayerStoreOptions { Whiteouts = WhiteoutStyle.OverlayTrusted });
        chainIds = TestLayers.Store(store, TestLayers.SampleImage());
    }

    public static TheoryData<string> Drivers() => ["overlay", "fuse-overlayfs", "vfs"];

    [Theory]
    [MemberData(nameof(Drivers))]
    public async Task View_shows_the_merged_layers(string driver)
    {
        string merged = await MountAsync(driver, writable: false, "view");
        Assert.Equal(string.Join("\n", ExpectedMerged()), string.Join("\n", TreeComparison.Describe(merged)));
        Assert.ThrowsAny<Exception>(() => File.WriteAllText(Path.Combine(merged, "new-file"), "x"));
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public async Task Writable_snapshot_keeps_changes_out_of_the_layers(string driver)
    {
        List<string> layersBefore = chainIds.SelectMany(c => TreeComparison.Describe(store.DiffPath(c))).ToList();
        string merged = await MountAsync(driver, writable: true, "rw");
        File.WriteAllText(Path.Combine(merged, "etc", "hosts"), "changed");
        File.Delete(Path.Combine(merged, "etc", "passwd"));
        Directory.CreateDirectory(Path.Combine(merged, "opq", "created"));
        Assert.Equal("changed", File.ReadAllText(Path.Combine(merged, "etc", "hosts")));
        Assert.False(File.Exists(Path.Combine(merged, "etc", "passwd")));
        Assert.Equal(layersBefore, chainIds.SelectMany(c => TreeComparison.Describe(store.DiffPath(c))).ToList());

        // A second writable snapshot of the same layers does not see the first one's changes.
        string other = await MountAsync(driver, writable: true, "rw2");
        Assert.True(File.Exists(Path.Combine(other, "etc", "passwd")));
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public async Task Remove_deletes_the_snapshot_directory(string driver)
    {
        string merged = await MountAsync(driver, writable: true, "gone");
        File.WriteAllText(Path.Combine(merged, "file"), "x");
        new SnapshotMounter(new ProcessRunner()).Unmount(merged);
        mounted.Remove(merged);
        ISnapshotter snapshotter = Create(driver);
        snapshotter.Remove(Path.Combine(temp, "gone"));
        Assert.False(Directory.Exists(Path.Combine(temp, "gone")));
        Assert.NotNull(store.TryGet(chainIds[^1]));
    }

    public void Dispose()
    {
        var mounter = new SnapshotMounter(new ProcessRunner());
        foreach (string target in mounted)
        {
            mounter.Unmount(target);
        }

        using DirectoryHandle handle = DirectoryHandle.Open(Path.GetTempPath());
        handle.RemoveTree(Path.GetFileName(temp));
    }

    /// <summary>The merged tree the sample image must produce, written out from the layer definitions by hand.</summary>
    private static List<string> ExpectedMerged()
    {
        string[] lines =
        [
            "/bin Symlink 777 0:0 -> usr/bin []",
            "/etc Directory 755 0:0 []",
            "/etc/hosts Regular 644 0:0 26 []",
            "/etc/passwd Regular 644 0:0 26 [user.note=6B657074]",
            "/etc/rel Symlink 777 0:0 -> ../usr/bin/new []",
            "/home Directory 755 0:0 []",
            "/home/user Directory 700 1000:1000 []",
            "/home/user/file Regular 600 1000:1000 4 []",
            "/home/user/file2 Regular 644 1000:1001 3 []",
            "/opq Directory 750 0:0 []",
            "/opq/new Regular 644 0:0 3 []",
            "/tmp Directory 1777 0:0 []",
            "/tmp/fifo Fifo 644 0:0 []",
            "/usr Directory 755 0:0 []",
            "/usr/bin Directory 755 0:0 []",
            "/usr/bin/new Regular 755 0:0 1 []",
            "/usr/bin/new-link Regular 755 0:0 1 []",
            "/usr/bin/tool Regular 6755 0:0 10 []",
            "/usr/bin/tool2 Regular 6755 0:0 10 []",
            "hardlinks /usr/bin/new /usr/bin/new-link",
            "hardlinks /usr/bin/tool /usr/bin/tool2",
        ];
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    private ISnapshotter Create(string driver) =>
        new StorageDriverSelector(temp, temp, WhiteoutStyle.OverlayTrusted, canMount: true).Create(new StorageDriverChoice(driver, "configured"), store);

    private async Task<string> MountAsync(string driver, bool writable, string name)
    {
        ISnapshotter snapshotter = Create(driver);
        string directory = Path.Combine(temp, name);
        IReadOnlyList<MountSpec> mounts = writable ? snapshotter.PrepareWritable(chainIds, directory) : snapshotter.PrepareView(chainIds, directory);
        string target = Path.Combine(temp, name + "-merged");
        await new SnapshotMounter(new ProcessRunner()).MountAsync(mounts, target);
        mounted.Add(target);
        return target;
    }
}
