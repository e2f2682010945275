using System.Globalization;
using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>--userns, --uidmap/--gidmap and :U through the published binary, rootless and as root.</summary>
[Trait("Category", "E2E")]
public sealed class UserNamespaceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rootless_keep_id_runs_as_the_user_and_files_on_a_bind_mount_keep_their_owner()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        TestUser user = skiff.Sandbox.User!;
        string uid = user.Uid.ToString(CultureInfo.InvariantCulture);
        string gid = user.Gid.ToString(CultureInfo.InvariantCulture);
        string project = Path.Combine(skiff.Sandbox.Work, "project");
        (await skiff.ExecAsync("mkdir", project)).AssertSuccess();

        ProcessResult run = (await skiff.RunAsync(
            "run", "--rm", "--network", "none", "--userns=keep-id", "-v", project + ":/src", "busybox",
            "sh", "-c", "id -u; id -g; whoami; touch /src/made; stat -c '%u %U' /src /; cat /proc/self/uid_map")).AssertSuccess();
        string[] lines = run.StdoutLines.ToArray();
        Assert.Equal(uid, lines[0]);
        Assert.Equal(gid, lines[1]);
        Assert.Equal(user.Name, lines[2]);
        Assert.Equal($"{uid} {user.Name}", lines[3]);

        // The image's root directory still belongs to root inside (its copy is owned through the map).
        Assert.Equal("0 root", lines[4]);
        Assert.Contains($"{uid} 0 1", string.Join(' ', lines[5..].Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))));
        Assert.Equal($"{uid}:{gid}\n", (await skiff.ExecAsync("stat", "-c", "%u:%g", Path.Combine(project, "made"))).AssertSuccess().Stdout);

        // Containers with the same map share one shifted copy of the image, each with its own changes on top.
        (await skiff.RunAsync("run", "--rm", "--network", "none", "--userns=keep-id", "--user", "0", "busybox", "sh", "-c", "echo mine > /etc/written")).AssertSuccess();
        Assert.Equal("gone\n", (await skiff.RunAsync("run", "--rm", "--network", "none", "--userns=keep-id", "busybox", "sh", "-c", "cat /etc/written 2>/dev/null || echo gone")).AssertSuccess().Stdout);
        Assert.Single(Directory.GetDirectories(Path.Combine(skiff.Sandbox.StorageRoot, "mapped-images")));

        // export shows the owners the container sees, not the copy's shifted ones.
        string stopped = (await skiff.RunAsync("create", "--userns=keep-id", "busybox", "true")).AssertSuccess().Stdout.Trim();
        string exported = Path.Combine(skiff.Sandbox.Work, "export.tar");
        (await skiff.RunAsync("export", "-o", exported, stopped)).AssertSuccess();
        Assert.Contains("0/0", (await skiff.ExecAsync("tar", "-tvf", exported, "bin/busybox")).AssertSuccess().Stdout);

        using JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("create", "--userns=keep-id", "busybox", "true")).AssertSuccess().Stdout.Trim() is { } id
            ? (await skiff.RunAsync("inspect", id)).AssertSuccess().Stdout
            : "[]");
        JsonElement host = inspect.RootElement[0].GetProperty("HostConfig");
        Assert.Equal("keep-id", host.GetProperty("UsernsMode").GetString());
        Assert.Contains($"{uid}:0:1", host.GetProperty("IDMappings").GetProperty("UidMap").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Rootless_shifted_image_copies_go_with_their_image_and_orphans_are_swept()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        string mapped = Path.Combine(skiff.Sandbox.StorageRoot, "mapped-images");

        // The copy stays while a container uses the image (rmi refuses), and as a cache while the image exists.
        string id = (await skiff.RunAsync("create", "--network", "none", "--userns=keep-id", "busybox", "true")).AssertSuccess().Stdout.Trim();
        Assert.Single(Directory.GetDirectories(mapped));
        Assert.NotEqual(0, (await skiff.RunAsync("rmi", "busybox")).ExitCode);
        Assert.Single(Directory.GetDirectories(mapped));
        (await skiff.RunAsync("rm", id)).AssertSuccess();
        Assert.Single(Directory.GetDirectories(mapped));

        // Removing the image removes its copy.
        (await skiff.RunAsync("rmi", "busybox")).AssertSuccess();
        Assert.Empty(Directory.GetDirectories(mapped));

        // An orphan (a copy whose image went without the sweep, here an unfinished one) is reported by
        // system check and removed by image prune, which keeps the copy of an image that is still there.
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "--rm", "--network", "none", "--userns=keep-id", "busybox", "true")).AssertSuccess();
        (await skiff.ExecAsync("mkdir", "-p", Path.Combine(mapped, "0123abcd", "rootfs.tmp"))).AssertSuccess();
        Assert.Contains("mapped-images/0123abcd", (await skiff.RunAsync("system", "check")).Stdout, StringComparison.Ordinal);
        (await skiff.RunAsync("image", "prune", "-f")).AssertSuccess();
        Assert.False(Directory.Exists(Path.Combine(mapped, "0123abcd")));
        Assert.Single(Directory.GetDirectories(mapped));
        Assert.DoesNotContain("mapped-images/", (await skiff.RunAsync("system", "check")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("skiff")]
    [InlineData("runc")]
    public async Task Rootless_keep_id_with_uid_and_gid_nomap_and_uidmap(string runtime)
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        string uid = skiff.Sandbox.User!.Uid.ToString(CultureInfo.InvariantCulture);
        string[] common = ["run", "--rm", "--network", "none", .. RuntimeFlags(runtime)];

        Assert.Equal(
            "1000:1000\n0 1 1000\n1000 0 1\n1001 1001 64536\n",
            (await skiff.RunAsync([.. common, "--userns=keep-id:uid=1000,gid=1000", "busybox", "sh", "-c", "echo $(id -u):$(id -g); awk '{print $1, $2, $3}' /proc/self/uid_map"])).AssertSuccess().Stdout);

        // nomap: the user's own id (0 in skiff's namespace, which the host sees as its uid) is not in the container.
        ProcessResult nomap = (await skiff.RunAsync([.. common, "--userns=nomap", "busybox", "sh", "-c", "awk '{print $1, $2, $3}' /proc/self/uid_map; stat -c %u /"])).AssertSuccess();
        Assert.Equal(["0 1 65536", "0"], nomap.StdoutLines);

        Assert.Equal(
            "0 1 1000\n1000 0 1\n",
            (await skiff.RunAsync([.. common, "--uidmap", "0:1:1000", "--uidmap", "1000:0:1", "--gidmap", "0:1:65536", "busybox", "sh", "-c", "awk '{print $1, $2, $3}' /proc/self/uid_map"])).AssertSuccess().Stdout);
        _ = uid;
    }

    [Theory, RootAndRootless]
    public async Task Volume_U_option_chowns_the_source_to_the_container_user(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string data = Path.Combine(skiff.Sandbox.Work, "data");
        (await skiff.ExecAsync("mkdir", "-p", Path.Combine(data, "sub"))).AssertSuccess();
        (await skiff.ExecAsync("touch", Path.Combine(data, "sub", "file"))).AssertSuccess();

        Assert.Equal(
            "1000:1000\n1000:1000\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "--user", "1000:1000", "-v", data + ":/data:U", "busybox", "stat", "-c", "%u:%g", "/data", "/data/sub/file")).AssertSuccess().Stdout);
        Assert.Equal(
            "0:0\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "--mount", $"type=bind,src={data},dst=/data,U=true", "busybox", "stat", "-c", "%u:%g", "/data/sub")).AssertSuccess().Stdout);

        // A new named volume belongs to the container's user from its first mount on, as podman gives it (NeedsChown).
        Assert.Equal(
            "1000:1000\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "--user", "1000:1000", "-v", "fresh:/data", "busybox", "sh", "-c", "touch /data/f && stat -c %u:%g /data")).AssertSuccess().Stdout);
    }

    [Theory]
    [InlineData("skiff")]
    [InlineData("runc")]
    public async Task Root_auto_gives_running_containers_separate_ranges_and_the_image_still_belongs_to_root(string runtime)
    {
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        string first = (await skiff.RunAsync(["run", "-d", "--network", "none", .. RuntimeFlags(runtime), "--userns=auto:size=2048", "-v", "avol:/v", "busybox", "sleep", "60"])).AssertSuccess().Stdout.Trim();
        string second = (await skiff.RunAsync(["run", "-d", "--network", "none", .. RuntimeFlags(runtime), "--userns=auto:size=2048", "busybox", "sleep", "60"])).AssertSuccess().Stdout.Trim();
        try
        {
            (uint, uint) a = await HostRangeAsync(skiff, first);
            (uint, uint) b = await HostRangeAsync(skiff, second);
            Assert.Equal(2048u, a.Item2);
            Assert.True(a.Item1 + a.Item2 <= b.Item1 || b.Item1 + b.Item2 <= a.Item1, $"ranges overlap: {a} {b}");
            Assert.True(a.Item1 >= 2147483647u);

            Assert.Equal("0:0\n0:0\n", (await skiff.RunAsync("exec", first, "stat", "-c", "%u:%g", "/", "/bin/sh")).AssertSuccess().Stdout);
            (await skiff.RunAsync("exec", first, "sh", "-c", "echo x > /etc/written")).AssertSuccess();
            Assert.Equal("0:0\n", (await skiff.RunAsync("exec", first, "sh", "-c", "touch /v/x && stat -c %u:%g /v/x")).AssertSuccess().Stdout);
            Assert.Equal("auto:size=2048\n", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.UsernsMode}}", first)).AssertSuccess().Stdout);
        }
        finally
        {
            await skiff.RunAsync("rm", "-f", first, second);
        }

        // Removed containers release their ranges: the next one starts at the bottom of the pool again.
        string third = (await skiff.RunAsync("create", "--userns=auto:size=2048", "busybox", "true")).AssertSuccess().Stdout.Trim();
        Assert.Equal(
            "[0:2147483647:2048]\n",
            (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.IDMappings.UidMap}}", third)).AssertSuccess().Stdout);

        // Without a size, podman's: 1024 ids for an image whose accounts need fewer, after the blocks in use.
        string sized = (await skiff.RunAsync("create", "--userns=auto", "busybox", "true")).AssertSuccess().Stdout.Trim();
        Assert.Equal(
            "[0:2147485695:1024]\n",
            (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.IDMappings.UidMap}}", sized)).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Rootless_auto_gives_each_container_its_own_block_of_the_users_subordinate_ids()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        uint subordinateStart = SubordinateStart(skiff.Sandbox.User!.Name);
        string data = Path.Combine(skiff.Sandbox.Work, "data");
        (await skiff.ExecAsync("mkdir", data)).AssertSuccess();

        // As podman here: the image's accounts need fewer than 1024 ids, so each block is 1024 of skiff's namespace's
        // ids 1..65536, one after the other; the maps seen inside count from there.
        string[] run = ["run", "-d", "--network", "none", "--userns=auto"];
        string first = (await skiff.RunAsync([.. run, "-v", "vol:/v", "busybox", "sh", "-c", "touch /v/made; sleep 300"])).AssertSuccess().Stdout.Trim();
        string second = (await skiff.RunAsync([.. run, "--user", "1000:1000", "-v", data + ":/d:U", "busybox", "sh", "-c", "touch /d/made; sleep 300"])).AssertSuccess().Stdout.Trim();
        try
        {
            Assert.Equal("0 1 1024\n", await InsideMapAsync(skiff, first));
            Assert.Equal("0 1025 1024\n", await InsideMapAsync(skiff, second));
            (uint, uint) a = await HostRangeAsync(skiff, first);
            (uint, uint) b = await HostRangeAsync(skiff, second);
            Assert.Equal((subordinateStart, 1024u), a);
            Assert.Equal((subordinateStart + 1024, 1024u), b);
            Assert.Equal("[0:1:1024]\n", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.IDMappings.UidMap}}", first)).AssertSuccess().Stdout);
            Assert.Equal("auto\n", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.UsernsMode}}", first)).AssertSuccess().Stdout);

            // Files the containers make: the first's root is its block's first id on the host, the second's user 1000
            // (the :U source was chowned to it) 1000 ids into its block; inside, both are the container's own ids.
            string volume = Path.Combine(skiff.Sandbox.StorageRoot, "volumes", "vol", "_data");
            await Poll.UntilAsync(async () => (await skiff.ExecAsync("test", "-e", Path.Combine(volume, "made"))).ExitCode == 0 && (await skiff.ExecAsync("test", "-e", Path.Combine(data, "made"))).ExitCode == 0);
            Assert.Equal($"{subordinateStart}:{subordinateStart}\n", (await skiff.ExecAsync("stat", "-c", "%u:%g", Path.Combine(volume, "made"))).AssertSuccess().Stdout);
            Assert.Equal($"{subordinateStart + 1024 + 1000}:{subordinateStart + 1024 + 1000}\n", (await skiff.ExecAsync("stat", "-c", "%u:%g", Path.Combine(data, "made"))).AssertSuccess().Stdout);
            Assert.Equal("0:0 0:0\n", (await skiff.RunAsync("exec", first, "sh", "-c", "echo $(stat -c %u:%g /v/made) $(stat -c %u:%g /bin/sh)")).AssertSuccess().Stdout);
            Assert.Equal("1000:1000\n", (await skiff.RunAsync("exec", second, "stat", "-c", "%u:%g", "/d/made")).AssertSuccess().Stdout);

            // cp in and out with the ids the container sees.
            string file = Path.Combine(skiff.Sandbox.Work, "in.txt");
            (await skiff.ExecAsync("sh", "-c", $"echo hi > {file}")).AssertSuccess();
            (await skiff.RunAsync("cp", file, second + ":/tmp/in.txt")).AssertSuccess();
            Assert.Equal("0:0 hi\n", (await skiff.RunAsync("exec", second, "sh", "-c", "echo $(stat -c %u:%g /tmp/in.txt) $(cat /tmp/in.txt)")).AssertSuccess().Stdout);
            // Out to the user's own directory too (from skiff's namespace, where the user's id is mapped), and export.
            (await skiff.RunAsync("cp", first + ":/v/made", Path.Combine(skiff.Sandbox.Work, "out"))).AssertSuccess();
            (await skiff.RunAsync("export", "-o", Path.Combine(skiff.Sandbox.Work, "exported.tar"), second)).AssertSuccess();
            Assert.Contains("0/0", (await skiff.ExecAsync("tar", "-tvf", Path.Combine(skiff.Sandbox.Work, "exported.tar"), "bin/busybox")).AssertSuccess().Stdout);

            // The whole range cannot hold another block of 65000: one error with a hint, nothing left behind.
            ProcessResult full = (await skiff.RunAsync("run", "--rm", "--network", "none", "--userns=auto:size=65000", "busybox", "true"))
                .AssertError(125, "could not find enough available IDs: no free block of 65000 ids is left in your 65536 subordinate ids (/etc/subuid)");
            Assert.Contains("Hint:", full.Stderr);
            Assert.Equal(2, (await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines.Count);
        }
        finally
        {
            await skiff.RunAsync("rm", "-f", first);
        }

        // The first block is free again once its container is removed; the second is still taken.
        string third = (await skiff.RunAsync("create", "--userns=auto", "busybox", "true")).AssertSuccess().Stdout.Trim();
        Assert.Equal("[0:1:1024]\n", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.IDMappings.UidMap}}", third)).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", second, third)).AssertSuccess();

        // An image whose accounts use higher ids gets a block that holds them (podman sizes it by /etc/passwd).
        string tar = Path.Combine(skiff.Sandbox.Work, "svc.tar");
        TestImages.WriteBusyboxRootfsTar(tar, "root:x:0:0::/:/bin/sh\nsvc:x:5000:5000::/:/bin/sh\n");
        (await skiff.RunAsync("import", tar, "svcimage")).AssertSuccess();
        Assert.Equal("0 1 5001\n", (await skiff.RunAsync("run", "--rm", "--network", "none", "--userns=auto", "svcimage", "awk", "{print $1, $2, $3}", "/proc/self/uid_map")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Idmap_volume_option_shows_the_sources_owners_inside_a_mapped_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string shared = Path.Combine(skiff.Sandbox.Work, "idmapped");
        Directory.CreateDirectory(shared);
        File.WriteAllText(Path.Combine(shared, "f"), "root's\n");
        if (rootless)
        {
            (await skiff.RunAsync("run", "--rm", "--network", "none", "-v", $"{shared}:/d:idmap", "busybox", "true")).AssertError(125, "need root");
            return;
        }

        // Through the container's map (0 → 200000) the host's root-owned file is root's inside, and what
        // the container's root writes is root's on the host; without :idmap it is the overflow id.
        string[] mapped = ["run", "--rm", "--network", "none", "--uidmap", "0:200000:65536"];
        Assert.Equal("0:0\n", (await skiff.RunAsync([.. mapped, "-v", $"{shared}:/d:idmap", "busybox", "sh", "-c", "stat -c %u:%g /d/f && touch /d/new"])).AssertSuccess().Stdout);
        Assert.Equal("0:0\n", (await skiff.ExecAsync("stat", "-c", "%u:%g", Path.Combine(shared, "new"))).AssertSuccess().Stdout);
        Assert.Equal("65534\n", (await skiff.RunAsync([.. mapped, "-v", $"{shared}:/d", "busybox", "stat", "-c", "%u", "/d/f"])).AssertSuccess().Stdout);
        Assert.Equal("0\n", (await skiff.RunAsync([.. mapped, "--mount", $"type=bind,src={shared}/f,dst=/file,idmap", "busybox", "stat", "-c", "%u", "/file"])).AssertSuccess().Stdout);
        Assert.Equal("0\n", (await skiff.RunAsync([.. mapped, "-v", "idvol:/v:idmap", "busybox", "sh", "-c", "touch /v/x && stat -c %u /v/x"])).AssertSuccess().Stdout);

        (await skiff.RunAsync("run", "--rm", "--network", "none", "-v", $"{shared}:/d:idmap", "busybox", "true")).AssertError(125, "needs a container with its own user namespace");
        (await skiff.RunAsync([.. mapped, "-v", $"{shared}:/d:idmap=uids=0-1-2", "busybox", "true"])).AssertError(125, "invalid volume option");
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Fact]
    public async Task Root_uidmap_and_host()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        Assert.Equal(
            "0 200000 65536\n0:0 0:0\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "--uidmap", "0:200000:65536", "busybox", "sh", "-c", "awk '{print $1, $2, $3}' /proc/self/uid_map; echo $(stat -c %u:%g /) $(stat -c %u:%g /bin/sh)")).AssertSuccess().Stdout);
        Assert.Equal(
            "0 0 4294967295\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "--userns=host", "busybox", "awk", "{print $1, $2, $3}", "/proc/self/uid_map")).AssertSuccess().Stdout);
    }

    [Theory]
    [InlineData(false, "--userns=bogus", "invalid --userns \"bogus\"")]
    [InlineData(false, "--uidmap=0:1", "invalid --uidmap \"0:1\"")]
    [InlineData(false, "--userns=keep-id", "--userns=keep-id is only supported in rootless mode")]
    [InlineData(false, "--userns=auto:size=4294967295", "no free block of 4294967295 ids")]
    [InlineData(true, "--userns=auto:size=70000", "could not find enough available IDs")]
    [InlineData(true, "--uidmap=0:100000:65536", "maps ids that skiff's user namespace does not have")]
    public async Task Bad_user_namespace_flags_are_one_error_with_a_hint(bool rootless, string flag, string message)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        ProcessResult result = (await skiff.RunAsync("run", "--rm", "--network", "none", flag, "busybox", "true")).AssertError(125, message);
        Assert.Contains("Hint:", result.Stderr);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    /// <summary>The default runtime (runc) or skiff's built-in one.</summary>
    private static string[] RuntimeFlags(string runtime) => ["--runtime", runtime];

    private static async Task<string> InsideMapAsync(SkiffCli skiff, string id)
    {
        ProcessResult map = (await skiff.RunAsync("exec", id, "cat", "/proc/self/uid_map")).AssertSuccess();
        return string.Join(' ', map.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) + "\n";
    }

    /// <summary>The first id of the user's /etc/subuid range (the tests' users have one).</summary>
    private static uint SubordinateStart(string user) =>
        uint.Parse(File.ReadLines("/etc/subuid").First(l => l.StartsWith(user + ":", StringComparison.Ordinal)).Split(':')[1], CultureInfo.InvariantCulture);

    private static async Task<(uint Start, uint Size)> HostRangeAsync(SkiffCli skiff, string id)
    {
        string pid = (await skiff.RunAsync("inspect", "--format", "{{.State.Pid}}", id)).AssertSuccess().Stdout.Trim();
        string[] fields = File.ReadAllText($"/proc/{pid}/uid_map").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (uint.Parse(fields[1], CultureInfo.InvariantCulture), uint.Parse(fields[2], CultureInfo.InvariantCulture));
    }
}
