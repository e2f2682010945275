using System.Text.Json;
using Skiff.Runtime.Spec;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Runtime;

/// <summary>skiff's built-in runtime driven through `skiff oci`, as root and rootless, probed from inside the container.</summary>
[Trait("Category", "E2E")]
public sealed class OciRuntimeTests(ITestOutputHelper output)
{
    /// <summary>podman's default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP.</summary>
    private const string DefaultCapabilities = "00000000800405fb";

    [Theory, RootAndRootless]
    public async Task Container_sees_its_own_namespaces_and_podmans_restrictions(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string probe = string.Join("; ",
            "echo pid=$$",
            "echo host=$(hostname)",
            "grep -E '^(CapInh|CapEff|CapAmb|CapBnd|NoNewPrivs)' /proc/self/status",
            "echo uidmap=$(cat /proc/self/uid_map)",
            // Listed by a child while pid 1 waits: a $(...) or a redirection in pid 1 would itself hold
            // a pipe or a saved descriptor open there while it runs.
            "(ls /proc/1/fd > /tmp/fds) & wait",
            "echo fds=$(sort /tmp/fds | tr '\\n' ' ')",
            "echo masked=$(cat /proc/keys /proc/timer_list /proc/kcore /proc/sched_debug 2>/dev/null | wc -c)",
            "echo firmware=$(ls /sys/firmware | wc -l)",
            "(echo x > /proc/sysrq-trigger) 2>/dev/null && echo sysrq=writable || echo sysrq=refused",
            "echo cwd=$(pwd)",
            "cat /proc/self/mountinfo");
        BusyboxBundle bundle = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["sh", "-c", probe]);
        bundle.Spec.Process!.Cwd = "/tmp/work";
        bundle.Spec.Process.NoNewPrivileges = true;
        bundle.Save();

        ProcessResult run = (await skiff.RunAsync("oci", "run", "--bundle", bundle.Path, "probe")).AssertSuccess();
        string[] lines = run.Stdout.Split('\n');

        Assert.Contains("pid=1", lines);
        Assert.Contains("host=skiffbox", lines);
        Assert.Contains("CapInh:\t0000000000000000", lines);
        Assert.Contains("CapAmb:\t0000000000000000", lines);
        Assert.Contains($"CapEff:\t{DefaultCapabilities}", lines);
        Assert.Contains($"CapBnd:\t{DefaultCapabilities}", lines);
        Assert.Contains("NoNewPrivs:\t1", lines);
        string uidMap = Assert.Single(lines, l => l.StartsWith("uidmap=", StringComparison.Ordinal));
        Assert.Equal(rootless ? $"uidmap=0 {skiff.Sandbox.User!.Uid} 1" : "uidmap=0 0 4294967295", string.Join(' ', uidMap.Replace("=", "= ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Replace("= ", "=", StringComparison.Ordinal));
        Assert.Contains("fds=0 1 2", lines);
        Assert.Contains("masked=0", lines);
        Assert.Contains("firmware=0", lines);
        Assert.Contains("sysrq=refused", lines);
        Assert.Contains("cwd=/tmp/work", lines);

        // Mount table: / is the bundle's rootfs, /proc/sys read-only, masks in place, /dev a tmpfs with devpts.
        List<string[]> mounts = lines.Where(l => l.Contains(" - ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
        Assert.Contains(mounts, m => m[4] == "/proc/sys" && m[5].Split(',').Contains("ro"));
        foreach (string masked in new[] { "/proc/keys", "/proc/timer_list", "/proc/kcore", "/proc/sched_debug" }.Where(File.Exists))
        {
            Assert.Contains(mounts, m => m[4] == masked);
        }

        Assert.Contains(mounts, m => m[4] == "/sys" && m[5].Split(',').Contains("ro"));
        Assert.Contains(mounts, m => m[4] == "/dev/pts" && m.Contains("devpts"));
        Assert.Contains(mounts, m => m[4] == "/dev" && m.Contains("tmpfs"));
        Assert.DoesNotContain(mounts, m => m[4].StartsWith(skiff.Sandbox.Path, StringComparison.Ordinal));
    }

    [Theory, RootAndRootless]
    public async Task Create_start_state_kill_delete_follow_the_oci_lifecycle(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        BusyboxBundle bundle = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["sleep", "60"]);
        string pidFile = Path.Combine(skiff.Sandbox.Work, "pid");

        (await CreateDetachedAsync(skiff, bundle, "life", "--pid-file", pidFile)).AssertSuccess();
        JsonElement created = await StateAsync(skiff, "life");
        Assert.Equal("created", created.GetProperty("status").GetString());
        int pid = created.GetProperty("pid").GetInt32();
        Assert.True(pid > 0);
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(pidFile).Trim());
        Assert.Equal(bundle.Path, created.GetProperty("bundle").GetString());
        Assert.Equal("life", created.GetProperty("id").GetString());
        Assert.StartsWith("1.", created.GetProperty("ociVersion").GetString());

        (await skiff.RunAsync("oci", "start", "life")).AssertSuccess();
        Assert.Equal("running", (await StateAsync(skiff, "life")).GetProperty("status").GetString());
        Assert.NotEqual(0, (await skiff.RunAsync("oci", "start", "life")).ExitCode);
        Assert.NotEqual(0, (await skiff.RunAsync("oci", "delete", "life")).ExitCode);

        (await skiff.RunAsync("oci", "kill", "life", "KILL")).AssertSuccess();
        JsonElement stopped = await WaitForStatusAsync(skiff, "life", "stopped");
        Assert.Equal(0, stopped.GetProperty("pid").GetInt32());

        (await skiff.RunAsync("oci", "delete", "life")).AssertSuccess();
        ProcessResult gone = await skiff.RunAsync("oci", "state", "life");
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("does not exist", gone.Stderr);
    }

    [Theory, RootAndRootless]
    public async Task Lifecycle_errors_and_the_rest_of_runcs_verbs_follow_the_state_machine(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);

        // Unknown ids: every verb fails and says so, except delete --force (runc's contract, podman relies on it).
        foreach (string[] verb in new[] { new[] { "state" }, ["start"], ["kill"], ["delete"], ["pause"], ["resume"], ["exec"] })
        {
            string[] arguments = verb[0] == "exec" ? ["oci", "exec", "nosuch", "true"] : ["oci", .. verb, "nosuch"];
            (await skiff.RunAsync(arguments)).AssertError(125, "does not exist");
        }

        (await skiff.RunAsync("oci", "delete", "--force", "nosuch")).AssertSuccess();

        // runc's --log FILE --log-format json: the error also lands there as one JSON object per line.
        string log = Path.Combine(skiff.Sandbox.Work, "runtime.log");
        (await skiff.RunAsync("oci", "--log", log, "--log-format", "json", "start", "nosuch")).AssertExitCode(125);
        JsonElement logged = JsonDocument.Parse(File.ReadAllLines(log).Single()).RootElement;
        Assert.Equal("error", logged.GetProperty("level").GetString());
        Assert.Contains("does not exist", logged.GetProperty("msg").GetString());

        BusyboxBundle bundle = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["sh", "-c", "sleep 300 & sleep 300 & wait"]);
        if (!rootless)
        {
            bundle.Spec.Linux!.CgroupsPath = "/skiff-tests/oci-" + Guid.NewGuid().ToString("N")[..8];
            bundle.Save();
        }

        (await CreateDetachedAsync(skiff, bundle, "verbs")).AssertSuccess();
        (await CreateDetachedAsync(skiff, bundle, "verbs")).AssertExitCode(125);
        Assert.Contains("already exists", File.ReadAllText(Path.Combine(skiff.Sandbox.Work, "verbs.log")));
        (await skiff.RunAsync("oci", "exec", "verbs", "true")).AssertError(125, "not running");
        (await skiff.RunAsync("oci", "start", "verbs")).AssertSuccess();

        // conmon's form: the whole process from a file.
        string processFile = Path.Combine(skiff.Sandbox.Work, "process.json");
        File.WriteAllText(processFile, """{"args":["sh","-c","echo $FOO; id -u; pwd"],"env":["FOO=bar","PATH=/bin"],"cwd":"/tmp","user":{"uid":0,"gid":0}}""");
        ProcessResult exec = (await skiff.RunAsync("oci", "exec", "--process", processFile, "verbs")).AssertSuccess();
        Assert.Equal(["bar", "0", "/tmp"], exec.StdoutLines);
        (await skiff.RunAsync("oci", "exec", "verbs", "--", "sh", "-c", "exit 4")).AssertExitCode(4);

        if (rootless)
        {
            // Without a cgroup of its own there is no freezer to use.
            (await skiff.RunAsync("oci", "pause", "verbs")).AssertError(125, "no cgroup");
        }
        else
        {
            (await skiff.RunAsync("oci", "pause", "verbs")).AssertSuccess();
            Assert.Equal("paused", (await StateAsync(skiff, "verbs")).GetProperty("status").GetString());
            (await skiff.RunAsync("oci", "pause", "verbs")).AssertError(125, "paused");
            (await skiff.RunAsync("oci", "delete", "verbs")).AssertError(125, "it is paused");
            (await skiff.RunAsync("oci", "resume", "verbs")).AssertSuccess();
            Assert.Equal("running", (await StateAsync(skiff, "verbs")).GetProperty("status").GetString());
        }

        // sh as pid 1 ignores SIGTERM; --all also reaches both sleeps, after which sh's wait returns and it exits.
        (await skiff.RunAsync("oci", "kill", "--all", "verbs", "TERM")).AssertSuccess();
        await WaitForStatusAsync(skiff, "verbs", "stopped");
        (await skiff.RunAsync("oci", "kill", "verbs", "KILL")).AssertError(125, "not running");
        (await skiff.RunAsync("oci", "resume", "verbs")).AssertExitCode(125);
        (await skiff.RunAsync("oci", "delete", "verbs")).AssertSuccess();
        (await skiff.RunAsync("oci", "state", "verbs")).AssertError(125, "does not exist");
    }

    [Fact]
    public async Task Features_and_version_describe_the_runtime()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        JsonElement features = JsonDocument.Parse((await skiff.RunAsync("oci", "features")).AssertSuccess().Stdout).RootElement;
        Assert.StartsWith("1.", features.GetProperty("ociVersionMin").GetString());
        JsonElement linux = features.GetProperty("linux");
        string[] namespaces = [.. linux.GetProperty("namespaces").EnumerateArray().Select(n => n.GetString()!)];
        Assert.Equal(["cgroup", "ipc", "mount", "network", "pid", "user", "uts"], namespaces);
        Assert.Contains("CAP_SYS_ADMIN", linux.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.True(linux.GetProperty("seccomp").GetProperty("enabled").GetBoolean());
        Assert.Contains("rbind", features.GetProperty("mountOptions").EnumerateArray().Select(o => o.GetString()));

        ProcessResult version = (await skiff.RunAsync("oci", "--version")).AssertSuccess();
        Assert.StartsWith("skiff version ", version.StdoutLines[0]);
        Assert.Contains("spec: 1.", version.Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Exit_codes_come_from_errno_and_the_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        BusyboxBundle missing = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["no-such-program"]);
        (await skiff.RunAsync("oci", "run", "--bundle", missing.Path, "c1")).AssertError(127, "not found");

        BusyboxBundle notExecutable = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["/etc/passwd"]);
        (await skiff.RunAsync("oci", "run", "--bundle", notExecutable.Path, "c2")).AssertError(126, "/etc/passwd");

        BusyboxBundle exits = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["sh", "-c", "echo out; echo err >&2; exit 3"]);
        ProcessResult three = (await skiff.RunAsync("oci", "run", "--bundle", exits.Path, "c3")).AssertExitCode(3);
        Assert.Equal("out\n", three.Stdout);
        Assert.Equal("err\n", three.Stderr);

        // Failed creates leave nothing behind.
        ProcessResult state = await skiff.RunAsync("oci", "state", "c1");
        Assert.Contains("does not exist", state.Stderr);
    }

    [Theory, RootAndRootless]
    public async Task Workdir_through_a_proc_fd_magic_link_is_refused(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        BusyboxBundle bundle = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["sh", "-c", "pwd; ls"]);
        foreach (int fd in new[] { 3, 4, 5 })
        {
            bundle.Spec.Process!.Cwd = $"/proc/self/fd/{fd}";
            bundle.Save();
            ProcessResult run = await skiff.RunAsync("oci", "run", "--bundle", bundle.Path, $"w{fd}");
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("Error:", run.Stderr);
            Assert.DoesNotContain(skiff.Sandbox.Path, run.Stdout);
        }
    }

    [Theory, RootAndRootless]
    public async Task An_image_whose_dev_is_a_symlink_stays_inside_the_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string outside = Path.Combine(skiff.Sandbox.Work, "outside");
        Directory.CreateDirectory(outside);
        BusyboxBundle bundle = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["sh", "-c", "echo hi > /dev/null && ls /dev"]);
        Directory.Delete(Path.Combine(bundle.Rootfs, "dev"));

        // Absolute and ../-laden targets: both must resolve inside the rootfs.
        File.CreateSymbolicLink(Path.Combine(bundle.Rootfs, "dev"), "/../../../../../../" + outside.TrimStart('/'));
        bundle.Save();

        ProcessResult run = (await skiff.RunAsync("oci", "run", "--bundle", bundle.Path, "devlink")).AssertSuccess();
        Assert.Contains("null", run.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Fact]
    public async Task The_waiting_init_cannot_be_reached_through_proc_exe_from_a_container_sharing_its_pid_namespace()
    {
        // CVE-2019-5736 class: while the init waits for start it is the skiff binary. A second container
        // joining its user and pid namespaces (uid 0 there, podman's capabilities) must not open it.
        using var skiff = new SkiffCli(output, rootless: false);
        BusyboxBundle first = BusyboxBundle.Create(skiff.Sandbox.Work, null, ["sleep", "60"]);
        first.Spec.Linux!.Namespaces.Add(new NamespaceSpec { Type = "user" });
        first.Spec.Linux.UidMappings = [new IdMappingSpec { ContainerId = 0, HostId = 200000, Size = 65536 }];
        first.Spec.Linux.GidMappings = [new IdMappingSpec { ContainerId = 0, HostId = 200000, Size = 65536 }];
        first.Save();
        (await CreateDetachedAsync(skiff, first, "victim")).AssertSuccess();
        int pid = (await StateAsync(skiff, "victim")).GetProperty("pid").GetInt32();
        byte[] before = File.ReadAllBytes(skiff.Binary);

        try
        {
            BusyboxBundle attacker = BusyboxBundle.Create(skiff.Sandbox.Work, null, [
                "sh", "-c",
                "readlink /proc/1/exe && echo readlink=allowed; (echo x >> /proc/1/exe) 2>/dev/null && echo write=allowed; head -c 4 /proc/1/exe >/dev/null 2>&1 && echo read=allowed; echo done"]);
            attacker.Spec.Linux!.Namespaces.RemoveAll(n => n.Type is "pid" or "user");
            attacker.Spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "user", Path = $"/proc/{pid}/ns/user" });
            attacker.Spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "pid", Path = $"/proc/{pid}/ns/pid" });
            attacker.Save();

            ProcessResult run = (await skiff.RunAsync("oci", "run", "--bundle", attacker.Path, "attacker")).AssertSuccess();
            Assert.Contains("done", run.Stdout);
            Assert.DoesNotContain("write=allowed", run.Stdout);
            Assert.DoesNotContain("read=allowed", run.Stdout);
            Assert.DoesNotContain("readlink=allowed", run.Stdout);
            Assert.Equal(before, File.ReadAllBytes(skiff.Binary));
        }
        finally
        {
            await skiff.RunAsync("oci", "delete", "--force", "victim");
        }
    }

    [Fact]
    public async Task Crun_runs_the_same_default_bundle()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        // /dev/core aside: crun links it always, runc (and skiff) only where the kernel has /proc/kcore.
        const string Probe = "hostname; grep -E '^Cap(Eff|Inh|Amb)' /proc/self/status; ls /dev | grep -vx core | sort | tr '\\n' ' '; echo";
        BusyboxBundle bundle = BusyboxBundle.Create(skiff.Sandbox.Work, null, ["sh", "-c", Probe]);

        ProcessResult ours = (await skiff.RunAsync("oci", "run", "--bundle", bundle.Path, "same")).AssertSuccess();

        // crun refuses this host's hybrid cgroup layout (hugetlb in the unified hierarchy): hide
        // that hierarchy in a private mount namespace and skip cgroup management.
        string crunRoot = Path.Combine(skiff.Sandbox.Work, "crun");
        ProcessResult theirs = (await skiff.ExecAsync("unshare", "-m", "sh", "-c",
            "umount /sys/fs/cgroup/unified 2>/dev/null; exec crun --cgroup-manager=disabled --root \"$0\" run --bundle \"$1\" same", crunRoot, bundle.Path)).AssertSuccess();
        Assert.Equal(theirs.Stdout, ours.Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Terminal_containers_get_a_pty_sent_over_the_console_socket(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        BusyboxBundle bundle = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, ["sh", "-c", "tty; echo hello from the pty"]);
        bundle.Spec.Process!.Terminal = true;
        bundle.Spec.Process.ConsoleSize = new ConsoleSizeSpec { Height = 30, Width = 100 };
        bundle.Save();

        // The receiving end, as an engine's monitor would be: accept, take the fd, read to EOF.
        string receiver = Path.Combine(skiff.Sandbox.Work, "console.py");
        string socketPath = Path.Combine(skiff.Sandbox.Work, "console.sock");
        File.WriteAllText(receiver, """
            import os, socket, sys
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(sys.argv[1])
            server.listen(1)
            connection, _ = server.accept()
            _, fds, _, _ = socket.recv_fds(connection, 1024, 1)
            data = b""
            while True:
                try:
                    chunk = os.read(fds[0], 4096)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
            sys.stdout.write(data.decode())
            """);
        Task<ProcessResult> received = skiff.ExecAsync("python3", receiver, socketPath);
        while (!File.Exists(socketPath) && !received.IsCompleted)
        {
            await Task.Delay(10);
        }

        (await CreateDetachedAsync(skiff, bundle, "tty", "--console-socket", socketPath)).AssertSuccess();
        (await skiff.RunAsync("oci", "start", "tty")).AssertSuccess();
        ProcessResult console = (await received).AssertSuccess();
        Assert.Contains("/dev/pts/0", console.Stdout);
        Assert.Contains("hello from the pty\r\n", console.Stdout);
        await WaitForStatusAsync(skiff, "tty", "stopped");
        (await skiff.RunAsync("oci", "delete", "tty")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Create_and_run_preserve_fds_hand_the_callers_descriptors_to_the_process(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        BusyboxBundle bundle = BusyboxBundle.Create(skiff.Sandbox.Work, skiff.Sandbox.User, [
            "sh", "-c", "(ls /proc/1/fd > /tmp/fds) & wait; echo fds=$(sort /tmp/fds | tr '\\n' ' '); cat <&3; cat <&4"]);
        string three = Path.Combine(skiff.Sandbox.Work, "three");
        string four = Path.Combine(skiff.Sandbox.Work, "four");
        File.WriteAllText(three, "three\n");
        File.WriteAllText(four, "four\n");

        // As runtime-tools drives a runtime: create with the descriptors open (its stdio on a file), start, the process reads them.
        string log = Path.Combine(skiff.Sandbox.Work, "pf.log");
        string[] create = ["-c", "l=$0 t=$1 f=$2; shift 2; exec \"$@\" </dev/null >\"$l\" 2>&1 3<\"$t\" 4<\"$f\"", log, three, four, skiff.Binary, .. skiff.StoreFlags(), "oci", "create", "--bundle", bundle.Path, "--preserve-fds", "2", "pf"];
        (await skiff.ExecAsync("sh", create, stdin: null)).AssertSuccess();
        (await skiff.RunAsync("oci", "start", "pf")).AssertSuccess();
        await WaitForStatusAsync(skiff, "pf", "stopped");
        Assert.Equal("fds=0 1 2 3 4\nthree\nfour\n", File.ReadAllText(log));
        (await skiff.RunAsync("oci", "delete", "pf")).AssertSuccess();

        string run = $"{skiff.Binary} {string.Join(' ', skiff.StoreFlags())} oci run --bundle {bundle.Path}";
        ProcessResult ran = (await skiff.ExecAsync("sh", "-c", $"{run} --preserve-fds 2 pr 3<{three} 4<{four}")).AssertSuccess();
        Assert.Equal("fds=0 1 2 3 4\nthree\nfour\n", ran.Stdout);

        // One not open is refused before anything is created.
        (await skiff.ExecAsync("sh", "-c", $"{run} --preserve-fds 2 bad 3<{three}")).AssertError(125, "file descriptor 4 is not available");
        Assert.Contains("does not exist", (await skiff.RunAsync("oci", "state", "bad")).Stderr);
    }

    private static Task<ProcessResult> CreateDetachedAsync(SkiffCli skiff, BusyboxBundle bundle, string id, params string[] extra)
    {
        // The init keeps create's stdio: point it at files so the test's pipes close when create exits.
        string log = Path.Combine(skiff.Sandbox.Work, id + ".log");
        var arguments = new List<string> { "-c", "exec \"$@\" </dev/null >\"$0\" 2>&1 || { cat \"$0\" >&2; exit 1; }", log, skiff.Binary };
        arguments.AddRange(skiff.StoreFlags());
        arguments.AddRange(["oci", "create", "--bundle", bundle.Path]);
        arguments.AddRange(extra);
        arguments.Add(id);
        return skiff.ExecAsync("sh", arguments, stdin: null);
    }

    private static async Task<JsonElement> StateAsync(SkiffCli skiff, string id)
    {
        ProcessResult state = (await skiff.RunAsync("oci", "state", id)).AssertSuccess();
        return JsonDocument.Parse(state.Stdout).RootElement.Clone();
    }

    private static async Task<JsonElement> WaitForStatusAsync(SkiffCli skiff, string id, string status)
    {
        // The state follows the kernel's: poll without a time assertion (the runner's timeout bounds it).
        while (true)
        {
            JsonElement state = await StateAsync(skiff, id);
            if (state.GetProperty("status").GetString() == status)
            {
                return state;
            }

            await Task.Delay(20);
        }
    }
}
