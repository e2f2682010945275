using Skiff.Core.Digests;
using Skiff.Core.Mounts;
using Skiff.Core.Processes;
using Skiff.Images.Files;
using Skiff.Images.Snapshots;
using Skiff.Images.Unpack;
using Skiff.Tests.Support;
using Skiff.Tests.Unit.Unpack;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Unpack;

/// <summary>
/// The tree skiff makes from a multi-layer image (whiteouts, an opaque directory, hard links, relative and
/// absolute symlinks, files owned by uid 1000, xattrs, a fifo, setuid bits) equals the one
/// <c>umoci unpack</c> makes from the same OCI layout: names, types, modes, owners, sizes, link targets,
/// hardlink groups and xattrs, for the plain-copy materialization and the kernel overlay view.
/// </summary>
[Trait("Category", "E2E")]
public sealed class UmociCompatibilityTests(ITestOutputHelper output) : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("skiff-umoci-").FullName;

    [Theory]
    [InlineData("vfs")]
    [InlineData("overlay")]
    public async Task Skiff_unpacks_the_same_tree_as_umoci(string driver)
    {
        Assert.True(TestEnvironment.IsRoot, "this comparison runs umoci and mounts as root (tests/run.sh runs the suite as root)");
        LayerTar[] layers = TestLayers.SampleImage();
        string layout = Path.Combine(temp, "layout");
        OciLayout.Write(layout, "compat", layers);
        string bundle = Path.Combine(temp, "bundle");
        ProcessResult umoci = await TestProcess.RunAsync(new ProcessSpec("umoci", ["unpack", "--image", layout + ":compat", bundle]), output);
        umoci.AssertSuccess();

        var store = new LayerStore(Path.Combine(temp, "store"), LayerStoreOptions.ForStore(rootless: false));
        IReadOnlyList<Digest> chainIds = TestLayers.Store(store, layers);
        ISnapshotter snapshotter = new StorageDriverSelector(temp, temp, WhiteoutStyle.OverlayTrusted, canMount: true)
            .Create(new StorageDriverChoice(driver, "configured"), store);
        IReadOnlyList<MountSpec> mounts = snapshotter.PrepareView(chainIds, Path.Combine(temp, "snapshot"));
        string merged = Path.Combine(temp, "merged");
        var mounter = new SnapshotMounter(new ProcessRunner());
        await mounter.MountAsync(mounts, merged);
        try
        {
            string expected = string.Join('\n', TreeComparison.Describe(Path.Combine(bundle, "rootfs")));
            string actual = string.Join('\n', TreeComparison.Describe(merged));
            output.WriteLine(actual);
            Assert.Equal(expected, actual);
        }
        finally
        {
            mounter.Unmount(merged);
        }
    }

    public void Dispose()
    {
        using DirectoryHandle handle = DirectoryHandle.Open(Path.GetTempPath());
        handle.RemoveTree(Path.GetFileName(temp));
    }
}
