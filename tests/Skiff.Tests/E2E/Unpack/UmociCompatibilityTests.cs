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
/// hardlink groups and xattrs, for the plain-copy materialization and the kernel overlay view, and rootless
/// against <c>umoci unpack --rootless</c> with the subordinate id shift.
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

    /// <summary>
    /// Rootless, the same image goes through <c>umoci unpack --rootless</c> and through skiff, both as the
    /// unprivileged test user. What is comparable:
    /// <list type="bullet">
    /// <item>skiff keeps the image's owners through its user namespace, so on the host a file that the
    /// image gives uid N is owned by the user's own uid for N = 0 and by subordinate id start + N - 1
    /// otherwise (image uid 1000 = host 100999 for the range 100000:65536, as podman does). Shifted back
    /// with that map, skiff's tree must equal umoci's tree unpacked as root, owners included.</item>
    /// <item><c>umoci --rootless</c> cannot chown, so every file is the calling user's: its owners are not
    /// comparable, but everything else is (names, types, modes, sizes, link targets, hardlink groups,
    /// user.* xattrs; the sample image has no devices, which neither tool can create rootless).</item>
    /// </list>
    /// skiff's tree is read from the host through the vfs driver's materialized copy, made by
    /// <c>skiff image mount</c> inside <c>skiff unshare</c>.
    /// </summary>
    [Fact]
    public async Task Rootless_skiff_unpacks_what_umoci_does_with_the_id_shift()
    {
        Assert.True(TestEnvironment.IsRoot, "this comparison runs umoci as root for the reference tree");
        using var skiff = new SkiffCli(output, rootless: true);
        TestUser user = skiff.Sandbox.User!;
        LayerTar[] layers = TestLayers.SampleImage();
        string layout = Path.Combine(skiff.Sandbox.Work, "layout");
        OciLayout.Write(layout, "compat", layers);
        (await TestProcess.RunAsync(new ProcessSpec("chmod", ["-R", "a+rX", layout]), output)).AssertSuccess();

        string rootBundle = Path.Combine(temp, "bundle");
        (await TestProcess.RunAsync(new ProcessSpec("umoci", ["unpack", "--image", layout + ":compat", rootBundle]), output)).AssertSuccess();
        string rootlessBundle = Path.Combine(skiff.Sandbox.Work, "bundle");
        (await skiff.ExecAsync("umoci", "unpack", "--rootless", "--image", layout + ":compat", rootlessBundle)).AssertSuccess();

        string archive = Path.Combine(skiff.Sandbox.Work, "compat.tar");
        (await TestProcess.RunAsync(new ProcessSpec("tar", ["-cf", archive, "-C", layout, "."]), output)).AssertSuccess();
        skiff.Environment["STORAGE_DRIVER"] = "vfs";
        (await skiff.RunAsync("load", "-q", "-i", archive)).AssertSuccess();
        string id = Assert.Single((await skiff.RunAsync("images", "-q", "--no-trunc")).AssertSuccess().StdoutLines);
        ProcessResult mounted = (await skiff.RunAsync("unshare", "sh", "-c", "\"$0\" image mount \"$1\"", skiff.Binary, id)).AssertSuccess();
        string rootfs = Path.Combine(skiff.Sandbox.StorageRoot, "image-mounts", id.Split(':')[^1], "snapshot", "rootfs");
        Assert.True(Directory.Exists(rootfs), $"no materialized tree at {rootfs} (mount printed {mounted.Stdout.Trim()})");

        uint subuid = SubordinateStart(user.Name, "/etc/subuid");
        uint subgid = SubordinateStart(user.Name, "/etc/subgid");
        FileStatus file = StatOf(rootfs, "home/user/file");
        Assert.Equal(subuid + 999, file.Uid);
        Assert.Equal(subgid + 999, file.Gid);

        Func<uint, uint> toImage = host => host == user.Uid || host == user.Gid ? 0
            : host >= subuid && host < subuid + 65536 ? host - subuid + 1
            : uint.MaxValue;
        List<string> reference = TreeComparison.Describe(Path.Combine(rootBundle, "rootfs"));
        List<string> shifted = TreeComparison.Describe(rootfs, toImage);
        output.WriteLine(string.Join('\n', shifted));
        Assert.Equal(string.Join('\n', reference), string.Join('\n', shifted));

        // umoci's own files belong to the test user (image root); the owners it could not set are in
        // user.rootlesscontainers, decoded back into the owner column.
        List<string> umociRootless = TreeComparison.Describe(Path.Combine(rootlessBundle, "rootfs"), host => host == user.Uid || host == user.Gid ? 0 : uint.MaxValue)
            .Select(WithRootlessContainersOwner).ToList();
        Assert.Contains(umociRootless, l => l.StartsWith("/home/user/file2 Regular 644 1000:1001 ", StringComparison.Ordinal));
        Assert.Equal(string.Join('\n', umociRootless), string.Join('\n', shifted));
    }

    /// <summary>
    /// Applies a <c>user.rootlesscontainers</c> xattr (rootlesscontainers.io: protobuf <c>Resource { uint32 uid = 1;
    /// uint32 gid = 2; }</c>, absent = 0, 2^32-1 = unchanged) to a <see cref="TreeComparison"/> line and drops it.
    /// </summary>
    private static string WithRootlessContainersOwner(string line)
    {
        const string key = "user.rootlesscontainers=";
        int at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return line;
        }

        int end = line.IndexOfAny([',', ']'], at);
        byte[] proto = Convert.FromHexString(line[(at + key.Length)..end]);
        uint uid = 0;
        uint gid = 0;
        for (int i = 0; i < proto.Length;)
        {
            int tag = proto[i++];
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = proto[i++];
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            if (tag == 0x08 && value != uint.MaxValue)
            {
                uid = (uint)value;
            }
            else if (tag == 0x10 && value != uint.MaxValue)
            {
                gid = (uint)value;
            }
        }

        string withoutXattr = line.Remove(at, end - at + (line[end] == ',' ? 1 : 0)).Replace(",]", "]", StringComparison.Ordinal);
        string[] fields = withoutXattr.Split(' ');
        fields[3] = $"{uid}:{gid}";
        return string.Join(' ', fields);
    }

    private static FileStatus StatOf(string root, string relative)
    {
        using DirectoryHandle directory = DirectoryHandle.Open(Path.Combine(root, Path.GetDirectoryName(relative)!));
        return directory.Stat(Path.GetFileName(relative));
    }

    private static uint SubordinateStart(string user, string file) =>
        File.ReadLines(file).Select(l => l.Split(':')).Where(f => f.Length == 3 && f[0] == user).Select(f => uint.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture)).First();

    public void Dispose()
    {
        using DirectoryHandle handle = DirectoryHandle.Open(Path.GetTempPath());
        handle.RemoveTree(Path.GetFileName(temp));
    }
}
