using System.Formats.Tar;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>cp both ways (running and stopped containers, tar streams), the symlink-swap attack on cp, and export → import.</summary>
[Trait("Category", "E2E")]
public sealed class CopyExportTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Cp_copies_both_ways_for_running_and_stopped_containers(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string work = skiff.Sandbox.Work;
        File.WriteAllText(Path.Combine(work, "in.txt"), "hello\n");
        (await skiff.RunAsync("run", "-d", "--name", "live", "busybox", "sleep", "1000")).AssertSuccess();

        // host → running container, and back (an existing directory receives the file by name).
        (await skiff.RunAsync("cp", Path.Combine(work, "in.txt"), "live:/tmp/")).AssertSuccess();
        (await skiff.RunAsync("cp", "live:/tmp/in.txt", Path.Combine(work, "back.txt"))).AssertSuccess();
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(work, "back.txt")));

        // A directory to a new host path takes that name; "/." copies only the contents into an existing one.
        (await skiff.RunAsync("cp", "live:/etc", Path.Combine(work, "etc-copy"))).AssertSuccess();
        Assert.True(File.Exists(Path.Combine(work, "etc-copy", "passwd")));
        Directory.CreateDirectory(Path.Combine(work, "flat"));
        File.SetUnixFileMode(Path.Combine(work, "flat"), (UnixFileMode)Convert.ToInt32("777", 8));
        (await skiff.RunAsync("cp", "live:/etc/.", Path.Combine(work, "flat"))).AssertSuccess();
        Assert.True(File.Exists(Path.Combine(work, "flat", "group")));

        // Tar streams: out to stdout, in from stdin.
        ProcessResult tar = (await skiff.RunAsync("cp", "live:/etc/hostname", "-")).AssertSuccess();
        Assert.Contains("hostname", tar.Stdout, StringComparison.Ordinal);
        using (var stream = new MemoryStream())
        {
            using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "fromtar.txt") { DataStream = new MemoryStream("tarred\n"u8.ToArray()) });
            }

            (await skiff.RunAsync(["cp", "-", "live:/tmp"], stream.ToArray())).AssertSuccess();
        }

        (await skiff.RunAsync("cp", "live:/tmp/fromtar.txt", Path.Combine(work, "fromtar.txt"))).AssertSuccess();
        Assert.Equal("tarred\n", File.ReadAllText(Path.Combine(work, "fromtar.txt")));

        (await skiff.RunAsync("cp", "live:/nope", Path.Combine(work, "x"))).AssertError(125, "could not be found on container live");
        (await skiff.RunAsync("cp", Path.Combine(work, "in.txt"), Path.Combine(work, "y"))).AssertError(125, "one of SRC and DEST must be CONTAINER:PATH");
        (await skiff.RunAsync("cp", "nosuch:/etc", work)).AssertError(125, "no such container");

        // A stopped (never started) container: its snapshot is mounted for the copy.
        (await skiff.RunAsync("create", "--name", "idle", "busybox", "cat", "/in.txt")).AssertSuccess();
        (await skiff.RunAsync("cp", Path.Combine(work, "in.txt"), "idle:/in.txt")).AssertSuccess();
        (await skiff.RunAsync("cp", "idle:/etc/passwd", Path.Combine(work, "passwd"))).AssertSuccess();
        Assert.Contains("root:", File.ReadAllText(Path.Combine(work, "passwd")), StringComparison.Ordinal);
        Assert.Equal("hello\n", (await skiff.RunAsync("start", "-a", "idle")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", "live", "idle")).AssertSuccess();
    }

    [Fact]
    public async Task Cp_into_and_out_of_a_container_with_its_own_map_uses_the_ids_the_container_sees()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        string work = skiff.Sandbox.Work;
        string[] map = ["--network", "none", "--uidmap", "0:200000:65536", "--gidmap", "0:300000:65536"];
        (await skiff.RunAsync([
            "run", "-d", "--name", "mapped", .. map, "busybox",
            "sh", "-c", "mkdir /tmp/dd && echo b > /tmp/dd/u && chown -R 5:6 /tmp/dd && touch /tmp/ready && exec sleep 1000"])).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("exec", "mapped", "test", "-e", "/tmp/ready")).ExitCode == 0);
        string pid = (await skiff.RunAsync("inspect", "--format", "{{.State.Pid}}", "mapped")).AssertSuccess().Stdout.Trim();

        // Out: the tar stream and -a carry the container's ids (as export shows them), not the host's 200005:300006.
        Assert.Equal("200005:300006\n", (await skiff.ExecAsync("stat", "-c", "%u:%g", $"/proc/{pid}/root/tmp/dd/u")).AssertSuccess().Stdout);
        Assert.Equal(["dd 5:6", "dd/u 5:6"], TarOwners((await skiff.RunAsync("cp", "mapped:/tmp/dd", "-")).AssertSuccess().Stdout));
        (await skiff.RunAsync("cp", "-a", "mapped:/tmp/dd", Path.Combine(work, "kept"))).AssertSuccess();
        Assert.Equal("5:6\n", (await skiff.ExecAsync("stat", "-c", "%u:%g", Path.Combine(work, "kept", "u"))).AssertSuccess().Stdout);

        // In: without -a the container's root owns the copy, with -a the source's ids go through the map; the
        // host stores them as the map's outer ids.
        string source = Path.Combine(work, "src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "f"), "x\n");
        (await skiff.ExecAsync("chown", "-R", "1000:1001", source)).AssertSuccess();
        (await skiff.RunAsync("cp", source, "mapped:/tmp/plain")).AssertSuccess();
        (await skiff.RunAsync("cp", "-a", source, "mapped:/tmp/kept")).AssertSuccess();
        using (var stream = new MemoryStream())
        {
            using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "fromtar") { Uid = 7, Gid = 8, DataStream = new MemoryStream("t\n"u8.ToArray()) });
            }

            (await skiff.RunAsync(["cp", "-", "mapped:/tmp"], stream.ToArray())).AssertSuccess();
            (await skiff.RunAsync(["cp", "-a", "-", "mapped:/tmp/kept"], stream.ToArray())).AssertSuccess();
        }

        Assert.Equal(
            "0:0 0:0 1000:1001 1000:1001 0:0 7:8\n",
            (await skiff.RunAsync("exec", "mapped", "sh", "-c", "echo $(stat -c %u:%g /tmp/plain /tmp/plain/f /tmp/kept /tmp/kept/f /tmp/fromtar /tmp/kept/fromtar)")).AssertSuccess().Stdout);
        Assert.Equal(
            "200000:300000 201000:301001\n",
            (await skiff.ExecAsync("sh", "-c", $"echo $(stat -c %u:%g /proc/{pid}/root/tmp/plain/f /proc/{pid}/root/tmp/kept/f)")).AssertSuccess().Stdout);

        // A stopped container: its mounted snapshot, both ways.
        (await skiff.RunAsync(["create", "--name", "idle", .. map, "busybox", "sh", "-c", "echo $(stat -c %u:%g /in /in/f /made)"])).AssertSuccess();
        (await skiff.RunAsync("cp", source, "idle:/in")).AssertSuccess();
        Assert.Equal(["in 0:0", "in/f 0:0"], TarOwners((await skiff.RunAsync("cp", "idle:/in", "-")).AssertSuccess().Stdout));
        (await skiff.RunAsync("cp", "-a", Path.Combine(source, "f"), "idle:/made")).AssertSuccess();
        Assert.Equal("0:0 0:0 1000:1001\n", (await skiff.RunAsync("start", "-a", "idle")).AssertSuccess().Stdout);

        // An :idmap bind mount's source holds the container's ids as they are: a copy into it is not shifted.
        string shared = Path.Combine(work, "shared");
        Directory.CreateDirectory(shared);
        (await skiff.RunAsync(["create", "--name", "idmapped", .. map, "-v", $"{shared}:/v:idmap", "busybox", "stat", "-c", "%u:%g", "/v/in/f"])).AssertSuccess();
        (await skiff.RunAsync("cp", source, "idmapped:/v/in")).AssertSuccess();
        Assert.Equal("0:0\n", (await skiff.ExecAsync("stat", "-c", "%u:%g", Path.Combine(shared, "in", "f"))).AssertSuccess().Stdout);
        Assert.Equal("0:0\n", (await skiff.RunAsync("start", "-a", "idmapped")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", "mapped", "idle", "idmapped")).AssertSuccess();
    }

    /// <summary>"NAME UID:GID" for each entry of a tar stream printed to stdout (names and contents are ASCII).</summary>
    private static string[] TarOwners(string tar)
    {
        using var reader = new TarReader(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(tar)));
        var result = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            result.Add($"{entry.Name.TrimEnd('/')} {entry.Uid}:{entry.Gid}");
        }

        return [.. result];
    }

    [Theory, RootAndRootless]
    public async Task Cp_reaches_the_volumes_and_bind_mounts_of_a_stopped_container_and_stays_inside_them(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string work = skiff.Sandbox.Work;
        string bind = Path.Combine(work, "bind");
        Directory.CreateDirectory(bind);
        File.SetUnixFileMode(bind, (UnixFileMode)Convert.ToInt32("777", 8));
        File.WriteAllText(Path.Combine(bind, "host.txt"), "from host\n");
        File.SetUnixFileMode(Path.Combine(bind, "host.txt"), (UnixFileMode)Convert.ToInt32("644", 8));
        File.WriteAllText(Path.Combine(work, "in.txt"), "hello\n");
        File.SetUnixFileMode(Path.Combine(work, "in.txt"), (UnixFileMode)Convert.ToInt32("644", 8));
        string planted = $"skiff-cp-planted-{Guid.NewGuid():N}";

        // The named volume gets a file and two symlinks that point out of it (absolute and through "..").
        (await skiff.RunAsync("run", "--rm", "-v", "cpvol:/data", "busybox", "sh", "-c",
            "echo from volume > /data/vol.txt && ln -s /etc /data/escape && ln -s ../../../../../etc /data/escape2")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "idle", "-v", "cpvol:/data", "-v", $"{bind}:/bound", "-v", "cpro:/ro:ro",
            "busybox", "sh", "-c", "cat /data/in.txt /data/copied.txt /bound/in.txt")).AssertSuccess();

        // Into the stopped container: the volume root itself, a new name inside it, and the bind mount.
        (await skiff.RunAsync("cp", Path.Combine(work, "in.txt"), "idle:/data")).AssertSuccess();
        (await skiff.RunAsync("cp", Path.Combine(work, "in.txt"), "idle:/data/copied.txt")).AssertSuccess();
        (await skiff.RunAsync("cp", Path.Combine(work, "in.txt"), "idle:/bound/")).AssertSuccess();
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(bind, "in.txt")));
        Assert.Equal("hello\nhello\nhello\n", (await skiff.RunAsync("start", "-a", "idle")).AssertSuccess().Stdout);

        // Out of it (stopped again): a file of the volume, the volume directory as a whole, a file of the bind mount.
        (await skiff.RunAsync("cp", "idle:/data/vol.txt", Path.Combine(work, "vol.txt"))).AssertSuccess();
        Assert.Equal("from volume\n", File.ReadAllText(Path.Combine(work, "vol.txt")));
        (await skiff.RunAsync("cp", "idle:/data", Path.Combine(work, "data-copy"))).AssertSuccess();
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(work, "data-copy", "copied.txt")));
        (await skiff.RunAsync("cp", "idle:/bound/host.txt", Path.Combine(work, "host-back.txt"))).AssertSuccess();
        Assert.Equal("from host\n", File.ReadAllText(Path.Combine(work, "host-back.txt")));

        // A directory above the mount points (here the root) brings the mounts' contents, not their empty mount points.
        (await skiff.RunAsync("cp", "idle:/", Path.Combine(work, "all"))).AssertSuccess();
        Assert.True(File.Exists(Path.Combine(work, "all", "bin", "busybox")));
        Assert.Equal("from volume\n", File.ReadAllText(Path.Combine(work, "all", "data", "vol.txt")));
        Assert.Equal("from host\n", File.ReadAllText(Path.Combine(work, "all", "bound", "host.txt")));

        // The symlinks resolve inside the volume, where there is no etc: neither the image's /etc nor the host's is reached.
        foreach (string link in new[] { "escape", "escape2" })
        {
            (await skiff.RunAsync("cp", $"idle:/data/{link}/passwd", Path.Combine(work, $"{link}-passwd"))).AssertError(125, "could not be found on container idle");
            Assert.False(File.Exists(Path.Combine(work, $"{link}-passwd")));
            (await skiff.RunAsync("cp", Path.Combine(work, "in.txt"), $"idle:/data/{link}/{planted}")).AssertError(125, "could not be found on container idle");
        }

        Assert.False(File.Exists(Path.Combine("/etc", planted)), "cp wrote through a volume symlink into the host's /etc");
        (await skiff.RunAsync("cp", $"idle:/etc/{planted}", Path.Combine(work, "planted"))).AssertError(125, "could not be found on container idle");

        // A read-only volume is refused, as the kernel refuses it in a running container.
        (await skiff.RunAsync("cp", Path.Combine(work, "in.txt"), "idle:/ro/")).AssertError(125, "read-only");
        (await skiff.RunAsync("rm", "-f", "-v", "idle")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Cp_stays_inside_the_root_while_the_container_swaps_a_directory_for_a_symlink_to_root(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string secret = $"skiff-cp-secret-{Guid.NewGuid():N}";
        string planted = $"skiff-cp-planted-{Guid.NewGuid():N}";
        string hostSecret = Path.Combine("/tmp", secret);
        File.WriteAllText(hostSecret, "HOST\n");
        File.SetUnixFileMode(hostSecret, (UnixFileMode)Convert.ToInt32("644", 8));
        try
        {
            // /w/d is, in turn, a real directory holding tmp/SECRET and a symlink to "/". If cp resolved
            // the symlink against the host's root, it would read /tmp/SECRET of the host or write /tmp/PLANTED there.
            string loop = $"mkdir -p /w/d/tmp && echo container > /w/d/tmp/{secret} && ln -s / /w/b && "
                + "while :; do mv /w/d /w/x; mv /w/b /w/d; mv /w/d /w/b; mv /w/x /w/d; done";
            (await skiff.RunAsync("run", "-d", "--name", "swapper", "busybox", "sh", "-c", loop)).AssertSuccess();
            string payload = Path.Combine(skiff.Sandbox.Work, "payload");
            File.WriteAllText(payload, "payload\n");

            int copied = 0;
            for (int attempt = 0; attempt < 40; attempt++)
            {
                string target = Path.Combine(skiff.Sandbox.Work, $"out-{attempt}");
                ProcessResult read = await skiff.RunAsync("cp", $"swapper:/w/d/tmp/{secret}", target);
                Assert.True(read.ExitCode is 0 or 125, $"cp exited {read.ExitCode}: {read.Stderr}");
                if (read.ExitCode == 0)
                {
                    Assert.Equal("container\n", File.ReadAllText(target));
                    copied++;
                }

                ProcessResult write = await skiff.RunAsync("cp", payload, $"swapper:/w/d/tmp/{planted}");
                Assert.True(write.ExitCode is 0 or 125, $"cp exited {write.ExitCode}: {write.Stderr}");
                Assert.False(File.Exists(Path.Combine("/tmp", planted)), "cp wrote outside the container root");
            }

            output.WriteLine($"{copied} of 40 reads found the container's file");
            Assert.True(copied > 0, "the race never let a copy through: the test did not exercise cp");
            (await skiff.RunAsync("rm", "-f", "swapper")).AssertSuccess();
        }
        finally
        {
            File.Delete(hostSecret);
            File.Delete(Path.Combine("/tmp", planted));
        }
    }

    [Theory, RootAndRootless]
    public async Task Export_then_import_round_trips_the_filesystem(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string archive = Path.Combine(skiff.Sandbox.Work, "exported.tar");
        (await skiff.RunAsync("run", "--name", "src", "busybox", "sh", "-c", "echo data > /exported && mkdir /made && ln -s /exported /made/link")).AssertSuccess();
        (await skiff.RunAsync("export", "-o", archive, "src")).AssertSuccess();
        (await skiff.RunAsync("import", archive, "exported")).AssertSuccess();
        Assert.Equal("data\ndata\n", (await skiff.RunAsync("run", "--rm", "exported", "sh", "-c", "cat /exported && cat /made/link")).AssertSuccess().Stdout);

        // A running container: its mount points (/proc, /sys, /dev …) are left out.
        (await skiff.RunAsync("run", "-d", "--name", "running", "busybox", "sleep", "1000")).AssertSuccess();
        string running = Path.Combine(skiff.Sandbox.Work, "running.tar");
        (await skiff.RunAsync("export", "--output", running, "running")).AssertSuccess();
        using (var reader = new TarReader(File.OpenRead(running)))
        {
            var names = new List<string>();
            while (reader.GetNextEntry() is TarEntry entry)
            {
                names.Add(entry.Name);
            }

            Assert.Contains("bin/busybox", names);
            Assert.Contains("proc/", names);
            Assert.DoesNotContain(names, n => n.StartsWith("proc/", StringComparison.Ordinal) && n != "proc/");
        }

        (await skiff.RunAsync("rm", "-f", "src", "running")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Rename_container_group_and_container_prune(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string a = (await skiff.RunAsync("create", "--name", "aa", "busybox", "true")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("create", "--name", "bb", "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("rename", "aa", "bb")).AssertError(125, "already in use");
        (await skiff.RunAsync("rename", "nope", "cc")).AssertError(125, "no such container");
        (await skiff.RunAsync("rename", "aa", "bad name")).AssertError(125, "names must match");
        (await skiff.RunAsync("rename", "aa", "cc")).AssertSuccess();
        Assert.Equal(["bb", "cc"], (await skiff.RunAsync("container", "ls", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal));
        Assert.Equal(a + "\n", (await skiff.RunAsync("container", "inspect", "--format", "{{.Id}}", "cc")).AssertSuccess().Stdout);
        (await skiff.RunAsync("create", "--name", "aa", "busybox", "true")).AssertSuccess();

        // The command after the image belongs to the container, as with 'skiff run'.
        Assert.Equal("hi\n", (await skiff.RunAsync("container", "run", "--rm", "busybox", "sh", "-c", "echo hi")).AssertSuccess().Stdout);

        (await skiff.RunAsync("run", "-d", "--name", "live", "busybox", "sleep", "1000")).AssertSuccess();
        List<string> pruned = (await skiff.RunAsync("container", "prune", "-f")).AssertSuccess().StdoutLines.ToList();
        Assert.Equal(3, pruned.Count);
        Assert.Contains(a, pruned);
        Assert.Equal(["live"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("rm", "-f", "live")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Container_prune_until_a_duration_ago_removes_only_the_older_stopped_containers(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string old = (await skiff.RunAsync("create", "--name", "old", "busybox", "true")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("run", "-d", "--name", "oldlive", "busybox", "sleep", "1000")).AssertSuccess();
        await Task.Delay(TimeSpan.FromSeconds(4));
        string fresh = (await skiff.RunAsync("create", "--name", "fresh", "busybox", "true")).AssertSuccess().Stdout.Trim();

        // As podman 4.3: one until= only.
        (await skiff.RunAsync("container", "prune", "-f", "--filter", "until=2s", "--filter", "until=1s")).AssertError(125, "specify exactly one timestamp for until");
        Assert.Equal([old], (await skiff.RunAsync("container", "prune", "-f", "--filter", "until=2s")).AssertSuccess().StdoutLines);
        Assert.Equal(["fresh", "oldlive"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal));

        // A negative duration is ahead of now: every stopped container is older; the running one stays.
        Assert.Equal([fresh], (await skiff.RunAsync("container", "prune", "-f", "--filter", "until=-1m")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("rm", "-f", "oldlive")).AssertSuccess();

        // A bad value is refused even with nothing to prune.
        (await skiff.RunAsync("container", "prune", "-f", "--filter", "until=yesterday")).AssertError(125, "invalid until filter \"yesterday\"");
    }
}
