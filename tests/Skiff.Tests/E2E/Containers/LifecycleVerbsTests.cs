using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>restart, attach, top and start -a, and the CLI killed during run, with the published binary as root and rootless.</summary>
[Trait("Category", "E2E")]
public sealed class LifecycleVerbsTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Restart_starts_running_and_stopped_containers_again(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "rs", "--rootfs", rootfs, "sh", "-c", "echo run; trap 'exit 0' TERM; while true; do sleep 0.1; done")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "rs")).Stdout == "run\n");
        string firstPid = await FieldAsync(skiff, "rs", "{{.State.Pid}}");

        Assert.Equal("rs\n", (await skiff.RunAsync("restart", "-t", "5", "rs")).AssertSuccess().Stdout);
        Assert.Equal("running", await FieldAsync(skiff, "rs", "{{.State.Status}}"));
        Assert.NotEqual(firstPid, await FieldAsync(skiff, "rs", "{{.State.Pid}}"));
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "rs")).Stdout == "run\nrun\n");

        (await skiff.RunAsync("stop", "rs")).AssertSuccess();
        (await skiff.RunAsync("restart", "rs")).AssertSuccess();
        Assert.Equal("running", await FieldAsync(skiff, "rs", "{{.State.Status}}"));

        (await skiff.RunAsync("create", "--name", "fresh", "--rootfs", rootfs, "sh", "-c", "exit 4")).AssertSuccess();
        (await skiff.RunAsync("restart", "fresh")).AssertSuccess();
        Assert.Equal("4", (await skiff.RunAsync("wait", "fresh")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("restart", "nosuch")).AssertError(125, "no such container");
        (await skiff.RunAsync("rm", "-f", "rs", "fresh")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Top_lists_the_containers_processes_with_container_pids(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await StartTopContainerAsync(skiff);

        ProcessResult top = (await skiff.RunAsync("top", "tp")).AssertSuccess();
        string[] header = top.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"], header);
        string[][] rows = top.StdoutLines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal(["root", "1", "0"], rows[0][..3]);
        Assert.Equal("sh", rows[0][7]);
        Assert.Contains(rows, r => r[0] == "root" && r[2] == "1" && r[7..] is ["sleep", "1000"]);
        Assert.Contains(rows, r => r[0] == "svc" && r[2] == "1" && r[7..] is ["sleep", "999"]);
        Assert.All(rows, r => Assert.Equal("?", r[5]));

        ProcessResult custom = (await skiff.RunAsync("top", "tp", "pid,comm")).AssertSuccess();
        Assert.Equal(["PID", "COMMAND"], custom.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(custom.StdoutLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["1", "sh"]);
        Assert.Contains("HPID", (await skiff.RunAsync("top", "tp", "hpid", "%C")).AssertSuccess().StdoutLines[0]);

        // Host users and groups by the host's names as root (podman's); rootless the host ids of the user's range.
        ProcessResult host = (await skiff.RunAsync("top", "tp", "pid,huser,hgroup")).AssertSuccess();
        string hostUser = rootless ? skiff.Sandbox.User!.Uid.ToString(CultureInfo.InvariantCulture) : "root";
        string hostGroup = rootless ? skiff.Sandbox.User!.Gid.ToString(CultureInfo.InvariantCulture) : "root";
        Assert.Contains(host.StdoutLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["1", var u, var g] && u == hostUser && g == hostGroup);

        // podman's own descriptors: memory in KiB, the start time as Go prints it, no LSM label here, capability sets by name.
        ProcessResult more = (await skiff.RunAsync("top", "tp", "pid,vsz,rss,nice,pgid,stime", "label", "seccomp", "capbnd", "capamb")).AssertSuccess();
        Assert.Equal("PID VSZ RSS NI PGID STIME LABEL SECCOMP BOUNDING CAPS AMBIENT CAPS", string.Join(' ', more.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        string[] first = more.StdoutLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1", first[0]);
        Assert.True(long.Parse(first[1], CultureInfo.InvariantCulture) > 100 && long.Parse(first[2], CultureInfo.InvariantCulture) > 100, more.Stdout);
        Assert.Equal(["0", "1"], first[3..5]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d$", first[5]);
        Assert.Matches(@"^\d\d:\d\d:\d\d$", first[6]);
        Assert.Equal(["+0000", "UTC", "?", "filter"], first[7..11]);
        Assert.Contains("NET_BIND_SERVICE", first[11]);
        Assert.DoesNotContain("SYS_ADMIN", first[11]);
        Assert.Equal("none", first[12]);

        (await skiff.RunAsync("stop", "-t", "1", "tp")).AssertSuccess();
        (await skiff.RunAsync("top", "tp")).AssertError(125, "top can only be used on running containers");
        (await skiff.RunAsync("rm", "tp")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Top_with_ps_options_runs_ps_in_the_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = await StartTopContainerAsync(skiff);

        // busybox ps: its own columns and users by name from the container's /etc/passwd; the ps process itself
        // (whose command line holds the arguments) is left out, as podman leaves it out.
        ProcessResult all = (await skiff.RunAsync("top", "tp", "-ef")).AssertSuccess();
        Assert.Equal(["PID", "USER", "COMMAND"], all.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string[][] rows = all.StdoutLines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Contains(rows, r => r is ["1", "root", "sh", "-c", ..]);
        Assert.Contains(rows, r => r[1..] is ["svc", "sleep", "999"]);
        Assert.Equal(3, rows.Length);

        ProcessResult listed = (await skiff.RunAsync("top", "tp", "-o", "pid,comm")).AssertSuccess();
        Assert.Equal(["PID", "COMMAND"], listed.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(listed.StdoutLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["1", "sh"]);
        Assert.Contains(listed.StdoutLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "ps"]);
        Assert.Contains("sleep 999", (await skiff.RunAsync("top", "tp", "aux")).AssertSuccess().Stdout);

        (await skiff.RunAsync("top", "tp", "-o", "bad")).AssertError(
            125, "executing ps(1) in the container: runtime failed with exit status: 1 and output: ps: bad -o argument 'bad'");
        File.Delete(Path.Combine(rootfs, "bin", "ps"));
        (await skiff.RunAsync("top", "tp", "-ef")).AssertError(
            125, "executing ps(1) in the container: executable file `ps` not found in $PATH");
        Assert.Contains("USER", (await skiff.RunAsync("top", "tp", "user")).AssertSuccess().Stdout);

        (await skiff.RunAsync("rm", "-f", "tp")).AssertSuccess();
        (await skiff.RunAsync("top", "tp", "-ef")).AssertError(125, "no such container");
    }

    [Theory, RootAndRootless]
    public async Task Top_keeps_a_process_named_with_tabs_and_newlines_in_its_own_cell(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        // A script's comm is its file name: the kernel takes it from the path that was executed.
        string evil = "x\tPID\n99 root";
        File.WriteAllText(Path.Combine(rootfs, "bin", evil), "#!/bin/sh\nsleep 1000\ntrue\n");
        File.SetUnixFileMode(Path.Combine(rootfs, "bin", evil), (UnixFileMode)Convert.ToInt32("755", 8));
        (await skiff.RunAsync("run", "-d", "--name", "ev", "--rootfs", rootfs, "/bin/" + evil)).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("top", "ev", "pid")).StdoutLines.Count == 3);

        ProcessResult top = (await skiff.RunAsync("top", "ev", "pid", "comm", "args")).AssertSuccess();
        Assert.Equal(3, top.StdoutLines.Count);
        Assert.Equal(["1", "x?PID?99", "root", "/bin/sh", "/bin/x?PID?99", "root"], top.StdoutLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["sleep", "sleep", "1000"], top.StdoutLines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
        (await skiff.RunAsync("rm", "-f", "ev")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Attach_reconnects_to_stdio_and_detaches_with_the_keys(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string flags = string.Join(' ', skiff.StoreFlags());
        (await skiff.RunAsync("run", "-d", "-i", "--name", "at", "--rootfs", rootfs, "sh", "-c", "while read line; do echo \"got $line\"; echo \"err $line\" >&2; done; echo bye; exit 3")).AssertSuccess();

        // Lines in, replies out on the right streams; stdin's end ends the container with its code.
        ProcessResult attached = await skiff.RunAsync(["attach", "at"], "one\ntwo\n");
        attached.AssertExitCode(3);
        Assert.Equal("got one\ngot two\nbye\n", attached.Stdout);
        Assert.Equal("err one\nerr two\n", attached.Stderr);
        (await skiff.RunAsync("attach", "at")).AssertError(125, "you can only attach to running containers");

        // With a pty: ctrl-p ctrl-q detaches and leaves the container running; a second attach sees new output.
        (await skiff.RunAsync("run", "-d", "-it", "--name", "tty", "--rootfs", rootfs, "sh")).AssertSuccess();
        ProcessResult detached = (await skiff.ExecAsync(
            "script",
            ["-qec", $"(sleep 1; printf 'echo mark-$((6*7))\\r'; sleep 1; printf '\\020\\021') | {skiff.Binary} {flags} attach tty", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1))).AssertSuccess();
        Assert.Contains("mark-42", detached.Stdout);
        Assert.Equal("running", await FieldAsync(skiff, "tty", "{{.State.Status}}"));

        ProcessResult custom = (await skiff.ExecAsync(
            "script",
            ["-qec", $"(sleep 1; printf 'echo again-$((2*3))\\r'; sleep 1; printf 'x') | {skiff.Binary} {flags} attach --detach-keys x tty", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1))).AssertSuccess();
        Assert.Contains("again-6", custom.Stdout);

        ProcessResult exited = await skiff.ExecAsync(
            "script",
            ["-qec", $"(sleep 1; printf 'exit 5\\r'; sleep 5) | {skiff.Binary} {flags} attach tty", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1));
        exited.AssertExitCode(5);
        (await skiff.RunAsync("rm", "-f", "at", "tty")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Start_attach_interactive_runs_a_created_container_in_the_foreground(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("create", "-i", "--name", "sa", "--rootfs", rootfs, "sh", "-c", "read x; echo \"in $x\"; echo err >&2; exit 6")).AssertSuccess();
        ProcessResult started = await skiff.RunAsync(["start", "-a", "-i", "sa"], "hello\n");
        started.AssertExitCode(6);
        Assert.Equal("in hello\n", started.Stdout);
        Assert.Equal("err\n", started.Stderr);
        ProcessResult again = await skiff.RunAsync(["start", "--attach", "--interactive", "sa"], "again\n");
        again.AssertExitCode(6);
        Assert.Equal("in again\n", again.Stdout);

        // Without -i the output is attached and stdin is not.
        (await skiff.RunAsync("create", "--name", "out", "--rootfs", rootfs, "sh", "-c", "echo only-out; exit 2")).AssertSuccess();
        ProcessResult attached = await skiff.RunAsync(["start", "-a", "out"], "ignored\n");
        attached.AssertExitCode(2);
        Assert.Equal("only-out\n", attached.Stdout);
        (await skiff.RunAsync("rm", "out")).AssertSuccess();
        (await skiff.RunAsync("rm", "sa")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Killing_the_cli_during_run_leaves_a_store_that_ps_and_rm_repair(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string flags = string.Join(' ', skiff.StoreFlags());
        int[] delays = [0, 10, 30, 60, 100, 200, 400];
        foreach (int delay in delays)
        {
            // The whole CLI (rootless: both the outer process and its user-namespace child) dies at once, mid-run.
            (await skiff.ExecAsync(
                "sh",
                ["-c", $"setsid {skiff.Binary} {flags} run --name k{delay} --rootfs {rootfs} sh -c 'echo up; sleep 1000' > /dev/null 2>&1 & p=$!; sleep {delay / 1000.0:0.000}; kill -9 -$p 2>/dev/null || kill -9 $p; wait $p; true"],
                null,
                TimeSpan.FromMinutes(1))).AssertSuccess();
        }

        ProcessResult ps = (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}} {{.State}}")).AssertSuccess();
        foreach (string line in ps.StdoutLines)
        {
            Assert.Matches("^k[0-9]+ (running|created|exited)$", line);
        }

        (await skiff.RunAsync("rm", "-a", "-f")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        foreach (int delay in delays)
        {
            // Every name is free again, and the store still runs containers.
            (await skiff.RunAsync("run", "--rm", "--name", $"k{delay}", "--rootfs", rootfs, "true")).AssertSuccess();
        }

        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    /// <summary>Container "tp": sh with two sleeps, one as root and one as svc (uid 1000, named in its /etc/passwd); returns its rootfs.</summary>
    private static async Task<string> StartTopContainerAsync(SkiffCli skiff)
    {
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nsvc:x:1000:1000::/:/bin/sh\n");
        (await skiff.RunAsync("run", "-d", "--name", "tp", "--rootfs", rootfs, "sh", "-c", "sleep 1000 & su svc -s /bin/sh -c 'exec sleep 999' & wait")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("top", "tp")).Stdout.Contains("sleep 999"));
        return rootfs;
    }

    private static async Task<string> FieldAsync(SkiffCli skiff, string name, string format) =>
        (await skiff.RunAsync("inspect", "--format", format, name)).AssertSuccess().Stdout.Trim();
}
