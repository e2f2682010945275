using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// tmpfs copy-up as podman 4.3 with runc: --tmpfs and --mount type=tmpfs copy what the image has at the destination
/// into the fresh tmpfs (tmpcopyup, the default; notmpcopyup leaves it empty), keeping owners and modes, symlinks as
/// links, never leaving the container's root. Root and rootless, with skiff's runtime and runc (which honours the same
/// tmpcopyup option in the bundle).
/// </summary>
[Trait("Category", "E2E")]
public sealed class TmpfsCopyUpTests(ITestOutputHelper output)
{
    // Owners, modes and kinds of the copied tree; busybox's stat, one line per path.
    private const string Listing = "stat -c '%n %a %u %g %F' /data /data/a /data/sub /data/sub/b /data/link /data/abs /data/dirlink; readlink /data/link; readlink /data/abs; readlink /data/dirlink; cat /data/a /data/sub/b";

    private const string Expected =
        "/data 750 7 8 directory\n/data/a 640 1000 1001 regular file\n/data/sub 710 5 6 directory\n/data/sub/b 644 0 0 regular file\n"
        + "/data/link 777 0 0 symbolic link\n/data/abs 777 0 0 symbolic link\n/data/dirlink 777 0 0 symbolic link\n"
        + "a\n/etc/passwd\n/etc\nhello\nx\n";

    public static TheoryData<bool, string> Runtimes => new()
    {
        { false, "skiff" },
        { true, "skiff" },
        { false, "runc" },
        { true, "runc" },
    };

    private static async Task<string> ImportAsync(SkiffCli skiff)
    {
        LayerBuilder layer = TestImages.BusyboxLayer()
            .Directory("/data", mode: Convert.ToInt32("750", 8), uid: 7, gid: 8)
            .File("/data/a", "hello\n", mode: Convert.ToInt32("640", 8), uid: 1000, gid: 1001)
            .Directory("/data/sub", mode: Convert.ToInt32("710", 8), uid: 5, gid: 6)
            .File("/data/sub/b", "x\n")
            .Symlink("/data/link", "a")
            .Symlink("/data/abs", "/etc/passwd")
            .Symlink("/data/dirlink", "/etc")
            // A mount point that is a symlink leading out of the root: resolved inside it, so the tmpfs lands on the
            // container's /etc and holds the image's /etc, never the host's.
            .Symlink("/escape", "../../../../../../../etc")
            // One onto /sys, whose files are not the image's: nothing is copied.
            .Symlink("/sysdir", "/sys")
            .Directory("/nodes")
            .Fifo("/nodes/fifo")
            .CharacterDevice("/nodes/null", 1, 3)
            .File("/nodes/file", "x\n")
            .Hardlink("/nodes/hard", "/nodes/file")
            .File("/big/file", new byte[64 * 1024]);
        string tar = Path.Combine(skiff.Sandbox.Work, "copyup.tar");
        File.WriteAllBytes(tar, layer.ToTar());
        File.SetUnixFileMode(tar, (UnixFileMode)Convert.ToInt32("644", 8));
        (await skiff.RunAsync("import", tar, "copyup")).AssertSuccess();
        return "copyup";
    }

    [Theory, MemberData(nameof(Runtimes))]
    public async Task The_images_tree_is_copied_into_the_tmpfs_unless_notmpcopyup(bool rootless, string runtime)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await ImportAsync(skiff);
        string[] run = ["run", "--rm", "--network", "none", "--runtime", runtime];

        ProcessResult copied = await skiff.RunAsync([.. run, "--tmpfs", "/data", image, "sh", "-c", $"{Listing}; grep -c ' /data tmpfs ' /proc/mounts"]);
        copied.AssertSuccess();
        // runc gives the tmpfs the directory's mode but leaves it root's; skiff's copy keeps the owner too.
        Assert.Equal(runtime == "runc" ? Expected.Replace("/data 750 7 8", "/data 750 0 0", StringComparison.Ordinal) + "1\n" : Expected + "1\n", copied.Stdout);

        ProcessResult mounted = await skiff.RunAsync([.. run, "--mount", "type=tmpfs,target=/data,tmpfs-size=1m", image, "sh", "-c", "cat /data/a; touch /data/new && echo writable"]);
        mounted.AssertSuccess();
        Assert.Equal("hello\nwritable\n", mounted.Stdout);

        ProcessResult empty = await skiff.RunAsync([.. run, "--tmpfs", "/data:notmpcopyup", image, "sh", "-c", "ls -A /data | wc -l"]);
        empty.AssertSuccess();
        Assert.Equal("0\n", empty.Stdout.TrimStart());
        ProcessResult emptyMount = await skiff.RunAsync([.. run, "--mount", "type=tmpfs,target=/data,notmpcopyup", image, "ls", "-A", "/data"]);
        Assert.Equal(string.Empty, emptyMount.AssertSuccess().Stdout);

        // Read-only: filled, then read-only.
        ProcessResult readOnly = await skiff.RunAsync([.. run, "--tmpfs", "/data:ro", image, "sh", "-c", "cat /data/a; touch /data/x 2>/dev/null || echo refused"]);
        readOnly.AssertSuccess();
        Assert.Equal("hello\nrefused\n", readOnly.Stdout);

        // A mount point that is a symlink out of the root: the tmpfs is the container's /etc with the image's files in it.
        ProcessResult escape = await skiff.RunAsync([.. run, "--tmpfs", "/escape", image, "sh", "-c", "head -1 /etc/group; test -e /etc/debian_version && echo host || echo contained; grep -c ' /etc tmpfs ' /proc/mounts; readlink /escape"]);
        escape.AssertSuccess();
        Assert.Equal("root:x:0:\ncontained\n1\n../../../../../../../etc\n", escape.Stdout);

        // Nothing is copied from another filesystem: /dev/shm is on /dev's tmpfs; with skiff's runtime also /sys through
        // the image's symlink (runc would copy sysfs's files); /sys/fs is the cgroup mount made after the tmpfs.
        ProcessResult shm = await skiff.RunAsync([.. run, "--tmpfs", "/dev/shm", image, "sh", "-c", "echo $(ls -A /dev/shm | wc -l)"]);
        Assert.Equal("0\n", shm.AssertSuccess().Stdout);
        if (runtime == "skiff")
        {
            ProcessResult sys = await skiff.RunAsync([.. run, "--tmpfs", "/sysdir", image, "sh", "-c", "echo $(ls -A /sys | grep -vx fs | wc -l)"]);
            Assert.Equal("0\n", sys.AssertSuccess().Stdout);
        }

        // A tmpfs where the image has nothing is a fresh empty one (mode 1777).
        ProcessResult fresh = await skiff.RunAsync([.. run, "--tmpfs", "/fresh", image, "stat", "-c", "%a %u", "/fresh"]);
        Assert.Equal("1777 0\n", fresh.AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Special_files_hard_links_and_the_tmpfs_size(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await ImportAsync(skiff);

        // Device nodes are copied where mknod is allowed (rootless, the image holds none: unpacking skipped it).
        ProcessResult nodes = await skiff.RunAsync("run", "--rm", "--network", "none", "--tmpfs", "/nodes", image, "sh", "-c",
            "stat -c '%n %F' /nodes/fifo; test -c /nodes/null && echo device || echo no-device; stat -c '%h' /nodes/hard; cat /nodes/hard");
        nodes.AssertSuccess();
        Assert.Equal($"/nodes/fifo fifo\n{(rootless ? "no-device" : "device")}\n2\nx\n", nodes.Stdout);

        // The copy is bounded by the tmpfs: what does not fit fails the start.
        ProcessResult full = await skiff.RunAsync("run", "--rm", "--network", "none", "--tmpfs", "/big:size=16k", image, "true");
        full.AssertError(125, "copying the image's /big into its tmpfs (tmpcopyup): the tmpfs is full");
        Assert.Equal(string.Empty, (await skiff.RunAsync("ps", "-aq")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Inspect_shows_the_completed_options(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        (await skiff.RunAsync("create", "--name", "t", "--tmpfs", "/data", "--tmpfs", "/x:notmpcopyup,size=1m", "--mount", "type=tmpfs,target=/y,tmpfs-size=2m,ro", image, "true")).AssertSuccess();
        ProcessResult inspect = await skiff.RunAsync("inspect", "--format", "{{json .HostConfig.Tmpfs}}", "t");
        Assert.Equal("{\"/data\":\"rw,rprivate,nosuid,nodev,tmpcopyup\",\"/x\":\"size=1m,rw,rprivate,nosuid,nodev\",\"/y\":\"size=2m,ro,rprivate,nosuid,nodev,tmpcopyup\"}\n", inspect.AssertSuccess().Stdout);
        (await skiff.RunAsync("create", "--mount", "type=tmpfs,target=/y,bogus=1", image, "true")).AssertError(125, "bogus: invalid mount option");
    }
}
