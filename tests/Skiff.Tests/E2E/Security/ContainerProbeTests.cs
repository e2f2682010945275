using System.Globalization;
using System.Security.Cryptography;
using Skiff.Runtime.Spec;
using Skiff.Tests.E2E.Containers;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Security;

/// <summary>
/// What a process sees from inside its container (identity, capabilities, seccomp, masked and read-only
/// paths, descriptors) and known escapes, as root and rootless, with runc and skiff's own runtime (the
/// default).
/// </summary>
[Trait("Category", "E2E")]
public sealed class ContainerProbeTests(ITestOutputHelper output)
{
    // pid 1's descriptors are listed from a child shell: pid 1 itself would hold the pipe of a command
    // substitution, or save its stdout on fd 10 for a redirection.
    private const string Probe =
        "echo pid=$$; hostname; cat /proc/self/uid_map; grep -E '^(CapInh|CapEff|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status; "
        + "sh -c 'ls /proc/1/fd > /tmp/fds'; echo fds=$(cat /tmp/fds); "
        + "if unshare -U true 2>/dev/null; then echo unshare=allowed; else echo unshare=denied; fi; "
        + "if echo x > /proc/sys/kernel/domainname 2>/dev/null; then echo procsys=writable; else echo procsys=readonly; fi; "
        + "awk '{print \"mount\" $5 \"=\" substr($6,1,2)}' /proc/self/mountinfo; "
        + "awk '$5 == \"/proc\" {print \"procoptions=\" $6}' /proc/self/mountinfo; "
        + "for m in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do if [ -e $m ]; then echo masked$m=$(head -c 16 $m 2>/dev/null | wc -c); fi; done; "
        + "for d in /proc/acpi /proc/scsi /sys/firmware /sys/dev/block; do if [ -d $d ]; then echo maskeddir$d=$(ls -A $d | wc -l); fi; done; true";

    public static TheoryData<bool, string> Runtimes => new()
    {
        { false, "runc" },
        { true, "runc" },
        { false, "skiff" },
        { true, "skiff" },
    };

    [Theory, MemberData(nameof(Runtimes))]
    public async Task Default_container_is_confined(bool rootless, string runtime)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        Dictionary<string, string> probe = await ProbeAsync(skiff, [.. RuntimeFlags(runtime), "--hostname", "probe", image]);

        Assert.Equal("1", probe["pid"]);
        Assert.True(probe.ContainsKey("probe"), "hostname");
        string uidMap = probe["uid_map"];
        Assert.Equal(rootless ? $"0 {skiff.Sandbox.User!.Uid} 1" : "0 0 4294967295", uidMap);
        ulong defaults = Mask(SpecDefaults.DefaultCapabilities);
        Assert.Equal(defaults.ToString("x16", CultureInfo.InvariantCulture), probe["CapEff"]);
        Assert.Equal("0000000000000000", probe["CapInh"]);
        Assert.Equal("0000000000000000", probe["CapAmb"]);
        Assert.Equal("2", probe["Seccomp"]);
        Assert.Equal("0", probe["NoNewPrivs"]);
        Assert.Equal("0 1 2", probe["fds"]);
        Assert.Equal("denied", probe["unshare"]);
        Assert.Equal("readonly", probe["procsys"]);
        // /proc as docker and podman mount it: no set-user-id programs, devices or executables through it.
        Assert.Equal(["nodev", "noexec", "nosuid"], probe["procoptions"].Split(',').Where(o => o is "nosuid" or "nodev" or "noexec").Order());
        foreach (string path in new[] { "/proc/sys", "/proc/sysrq-trigger", "/proc/bus", "/proc/fs", "/proc/irq" })
        {
            if (probe.TryGetValue("mount" + path, out string? options))
            {
                Assert.Equal("ro", options);
            }
        }

        // Kernels without CONFIG_PROC_KCORE or CONFIG_MAGIC_SYSRQ (this VM's) have no such files to cover.
        Assert.Equal("ro", probe["mount/proc/sys"]);
        Assert.Equal(File.Exists("/proc/sysrq-trigger"), probe.ContainsKey("mount/proc/sysrq-trigger"));
        Assert.True(probe.ContainsKey("mount/proc/keys"), "/proc/keys is masked");
        Assert.True(probe.ContainsKey("mount/proc/timer_list"), "/proc/timer_list is masked");
        Assert.Equal(File.Exists("/proc/kcore"), probe.ContainsKey("mount/proc/kcore"));
        Assert.Equal("0", probe["masked/proc/keys"]);
        foreach ((string key, string value) in probe.Where(p => p.Key.StartsWith("masked", StringComparison.Ordinal)))
        {
            Assert.True(value == "0", $"{key} is readable: {value}");
        }
    }

    [Theory, MemberData(nameof(Runtimes))]
    public async Task Security_flags_change_what_the_container_may_do(bool rootless, string runtime)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        string[] flags = RuntimeFlags(runtime);

        Dictionary<string, string> narrowed = await ProbeAsync(skiff, [.. flags, "--cap-drop", "ALL", "--cap-add", "net_raw", "--security-opt", "no-new-privileges", image]);
        Assert.Equal(Mask(["CAP_NET_RAW"]).ToString("x16", CultureInfo.InvariantCulture), narrowed["CapEff"]);
        Assert.Equal("1", narrowed["NoNewPrivs"]);
        Assert.Equal("2", narrowed["Seccomp"]);

        // A user given by name gets the same (non-root) sets as one given by number: nothing effective
        // unless added.
        async Task<string> CapEffAsync(params string[] extra) =>
            (await skiff.RunAsync([.. RunFlags(), .. flags, .. extra, image, "sh", "-c", "grep CapEff /proc/self/status"])).AssertSuccess().Stdout.Split(':')[1].Trim();
        Assert.Equal("0000000000000000", await CapEffAsync("-u", "65534"));
        Assert.Equal("0000000000000000", await CapEffAsync("-u", "nobody"));
        Assert.Equal(Mask(["CAP_NET_RAW"]).ToString("x16", CultureInfo.InvariantCulture), await CapEffAsync("-u", "app", "--cap-add", "net_raw"));

        Dictionary<string, string> unconfined = await ProbeAsync(skiff, [.. flags, "--security-opt", "seccomp=unconfined", "--security-opt", "unmask=/proc/keys", image]);
        Assert.Equal("0", unconfined["Seccomp"]);
        Assert.Equal("allowed", unconfined["unshare"]);
        Assert.DoesNotContain("mount/proc/keys", unconfined.Keys);
        Assert.True(unconfined.ContainsKey("mount/proc/timer_list"), "/proc/timer_list stays masked");

        // A profile file that denies mkdir with EACCES and allows the rest.
        string profile = Path.Combine(skiff.Sandbox.Work, "profile.json");
        File.WriteAllText(profile, """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}""");
        File.SetUnixFileMode(profile, (UnixFileMode)Convert.ToInt32("644", 8));
        ProcessResult denied = await skiff.RunAsync([.. RunFlags(), .. flags, "--security-opt", $"seccomp={profile}", image, "sh", "-c", "mkdir /tmp/x; echo rc=$?; unshare -U true && echo unshare-ok"]);
        Assert.Contains("rc=1", denied.AssertSuccess().Stdout);
        Assert.Contains("Permission denied", denied.Stderr);
        Assert.Contains("unshare-ok", denied.Stdout);

        Dictionary<string, string> privileged = await ProbeAsync(skiff, [.. flags, "--privileged", image]);
        Assert.Equal("0", privileged["Seccomp"]);
        Assert.True((ulong.Parse(privileged["CapEff"], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << 21)) != 0, "CAP_SYS_ADMIN");
        Assert.DoesNotContain("mount/proc/sys", privileged.Keys);
        Assert.DoesNotContain("mount/proc/keys", privileged.Keys);
        if (!rootless)
        {
            // Rootless, /proc/sys files belong to the host's root, outside the user namespace.
            Assert.Equal("writable", privileged["procsys"]);
        }

        (await skiff.RunAsync([.. RunFlags(), .. flags, "--cap-add", "CAP_NOPE", image, "true"])).AssertError(125, "unknown capability");
        (await skiff.RunAsync([.. RunFlags(), .. flags, "--security-opt", "bogus", image, "true"])).AssertError(125, "invalid --security-opt");
        (await skiff.RunAsync([.. RunFlags(), .. flags, "--security-opt", "seccomp=/no/such/profile.json", image, "true"])).AssertError(125, "seccomp profile");
    }

    [Theory, MemberData(nameof(Runtimes))]
    public async Task A_symlinked_dev_cannot_reach_the_host(bool rootless, string runtime)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string victim = Path.Combine(skiff.Sandbox.Work, "victim");
        Directory.CreateDirectory(victim);
        File.SetUnixFileMode(victim, (UnixFileMode)Convert.ToInt32("777", 8));
        Directory.Delete(Path.Combine(rootfs, "dev"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "dev"), victim);
        if (skiff.Sandbox.User is { RunsAsSelf: false } user)
        {
            using var chown = System.Diagnostics.Process.Start("chown", ["-h", $"{user.Uid}:{user.Gid}", Path.Combine(rootfs, "dev")])!;
            chown.WaitForExit();
        }

        (await skiff.RunAsync(["run", "--rm", .. RuntimeFlags(runtime), "--rootfs", rootfs, "true"])).AssertError(125, "symbolic link");
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim));

        File.Delete(Path.Combine(rootfs, "dev"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "dev"), "/");
        (await skiff.RunAsync(["run", "--rm", .. RuntimeFlags(runtime), "--rootfs", rootfs, "true"])).AssertError(125, "symbolic link");
        Assert.False(File.Exists(Path.Combine(rootfs, "null")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "pts")));
    }

    [Theory, MemberData(nameof(Runtimes))]
    public async Task Runtime_binaries_cannot_be_opened_for_writing_from_inside(bool rootless, string runtime)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        byte[] before = SHA256.HashData(File.ReadAllBytes(skiff.Binary));

        // The container keeps trying to open every process's executable for writing (the runc
        // CVE-2019-5736 class of attack) while runtimes enter it with exec.
        const string attacker =
            "while true; do for e in /proc/[0-9]*/exe /proc/self/exe; do if { true >> $e; } 2>/dev/null; then echo OPENED $e >> /tmp/opened; fi; done; done";
        (await skiff.RunAsync([.. RunFlags(), "-d", "--name", "target", .. RuntimeFlags(runtime), image, "sh", "-c", attacker])).AssertSuccess();
        for (int i = 0; i < 5; i++)
        {
            (await skiff.RunAsync("exec", "target", "true")).AssertSuccess();
        }

        ProcessResult opened = await skiff.RunAsync("exec", "target", "cat", "/tmp/opened");
        Assert.True(opened.ExitCode != 0 && opened.Stdout.Length == 0, $"the container opened an executable for writing:\n{opened.Stdout}");
        (await skiff.RunAsync("rm", "-f", "target")).AssertSuccess();
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(skiff.Binary)));
    }

    private static string[] RuntimeFlags(string runtime) => ["--runtime", runtime];

    private static string[] RunFlags() => ["run", "--rm"];

    private async Task<Dictionary<string, string>> ProbeAsync(SkiffCli skiff, IReadOnlyList<string> runArguments)
    {
        ProcessResult run = (await skiff.RunAsync([.. RunFlags(), .. runArguments, "sh", "-c", Probe])).AssertSuccess();
        var values = new Dictionary<string, string>();
        var uidMap = new List<string>();
        foreach (string line in run.StdoutLines)
        {
            string trimmed = line.Trim();
            if (char.IsDigit(trimmed.FirstOrDefault()))
            {
                uidMap.Add(string.Join(' ', trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
                continue;
            }

            int separator = trimmed.IndexOfAny([':', '=']);
            if (separator < 0)
            {
                values[trimmed] = string.Empty;
                continue;
            }

            values[trimmed[..separator]] = trimmed[(separator + 1)..].Trim();
        }

        values["uid_map"] = uidMap.FirstOrDefault() ?? string.Empty;
        return values;
    }

    private static ulong Mask(IEnumerable<string> names) => names.Aggregate(0UL, (mask, name) => Capabilities.TryParse(name, out int cap) ? mask | (1UL << cap) : mask);
}
