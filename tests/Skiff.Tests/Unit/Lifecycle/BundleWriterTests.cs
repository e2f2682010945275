using System.Text.Json.Nodes;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Terminal;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>
/// config.json as BundleWriter.Write builds it through RuntimeSpec and SpecJsonWriter is the document the JsonNode
/// path built (<see cref="JsonNodeBundleReference"/>), member for member, over the flags that shape it.
/// </summary>
public sealed class BundleWriterTests : IDisposable
{
    private static readonly IdMap UserNamespace = new([new IdMapping(0, 100000, 65536)], [new IdMapping(0, 100000, 65536)]);

    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-bundlewriter-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Cases() => [.. Variants(Path.GetTempPath()).Keys];

    private static Dictionary<string, (ContainerConfig Config, bool Rootless, TerminalSize? Size)> Variants(string dir)
    {
        ContainerConfig Base(char id) => new()
        {
            Id = new string(id, 64), Name = "w" + id, Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "skiff",
            Cmd = ["true"],
        };

        string profile = Path.Combine(dir, "seccomp-profile.json");
        return new()
        {
            ["minimal"] = (Base('a'), false, null),
            ["minimal rootless"] = (Base('b'), true, null),
            ["tty, console size, init, env"] = (Base('c') with
            {
                Tty = true, Init = true, InitPath = "/usr/libexec/skiff-init", Cmd = ["sh", "-c", "echo \u00e9 '<+>' \"q\""],
                Env = ["A=b=c", "TERM=vt100", "EMPTY="], WorkingDir = "/work", Hostname = "host.example",
            }, false, new TerminalSize(24, 80)),
            ["tty without size, PATH and HOSTNAME given"] = (Base('d') with { Tty = true, Env = ["PATH=/bin", "HOSTNAME=x"] }, false, null),
            ["no tty with a size"] = (Base('e'), false, new TerminalSize(50, 132)),
            ["numeric user and groups"] = (Base('f') with { User = "1000:1000", GroupAdd = ["10", "20"] }, false, null),
            ["named user, keep-groups"] = (Base('g') with { User = "app", GroupAdd = [KeepGroups.Flag], Labels = new Dictionary<string, string> { ["a"] = "1" } }, true, null),
            ["keep-groups without labels"] = (Base('h') with { GroupAdd = [KeepGroups.Flag] }, true, null),
            ["cap-add, cap-drop"] = (Base('i') with { CapAdd = ["NET_ADMIN", "SYS_PTRACE"], CapDrop = ["CHOWN", "KILL"] }, false, null),
            ["cap-add as non-root"] = (Base('j') with { User = "1000", CapAdd = ["NET_RAW"], CapDrop = ["ALL"] }, false, null),
            ["privileged"] = (Base('k') with { Privileged = true }, false, null),
            ["seccomp unconfined, no-new-privileges, mask, unmask"] = (Base('l') with
            {
                SecurityOpt = ["seccomp=unconfined", "no-new-privileges", "mask=/proc/cpuinfo:/sys/x", "unmask=/proc/kcore"],
            }, false, null),
            ["unmask ALL"] = (Base('m') with { SecurityOpt = ["unmask=ALL", "no-new-privileges=false"] }, false, null),
            ["seccomp profile file"] = (Base('n') with { SecurityOpt = ["seccomp=" + profile] }, false, null),
            ["mounts"] = (Base('o') with
            {
                Mounts =
                [
                    new ContainerMount("tmpfs", "", "/t", null, ["size=1m", "mode=1777"]),
                    new ContainerMount("bind", "/src", "/b", null, ["ro", "U", "rprivate"]),
                    new ContainerMount("volume", "/v/_data", "/v", "v", ["nocopy", "U", "ro"]),
                    new ContainerMount("bind", "/plain", "/p", null, []),
                ],
            }, false, null),
            ["idmapped mounts"] = (Base('p') with
            {
                IdMappings = UserNamespace,
                Mounts = [new ContainerMount("bind", "/src", "/b", null, ["idmap", "U", "ro"]), new ContainerMount("volume", "/v/_data", "/v", "v", ["idmap", "nocopy"])],
            }, false, null),
            ["ulimits"] = (Base('q') with { Ulimits = ["nofile=1024:2048", "nproc=512", "core=0:0", "memlock=+5:6"] }, false, null),
            ["labels with escapes"] = (Base('r') with
            {
                Labels = new Dictionary<string, string> { ["com.example/\u00e9"] = "<script>&'\"", ["empty"] = "", [KeepGroups.Annotation] = "0" },
                GroupAdd = [KeepGroups.Flag],
            }, false, null),
            ["user namespace"] = (Base('s') with
            {
                IdMappings = new IdMap([new IdMapping(0, 100000, 1000), new IdMapping(1000, 1000, 1)], [new IdMapping(0, 200000, 4)]),
            }, false, null),
            ["host network rootless"] = (Base('t') with { NetworkMode = "host" }, true, null),
            ["host network root"] = (Base('u') with { NetworkMode = "host" }, false, null),
            ["host network, user namespace"] = (Base('v') with { NetworkMode = "host", IdMappings = UserNamespace }, false, null),
            ["pasta sysctls"] = (Base('w') with { NetworkMode = "pasta", Sysctls = new Dictionary<string, string> { ["kernel.sem"] = "1 2 3 4", ["net.core.somaxconn"] = "1024" } }, false, null),
            ["all resources, cgroupfs, cgroupns"] = (Base('x') with
            {
                Resources = new CgroupResources(1 << 30, 2L << 30, 50000, 100000, 512, "0-1", 100, 300, 1 << 29),
                CgroupPath = "skiff/" + new string('x', 64), CgroupNamespace = true,
            }, false, null),
            ["some resources, systemd"] = (Base('y') with
            {
                Resources = new CgroupResources(MemorySwap: -1, CpuShares: 2, PidsLimit: -1),
                CgroupPath = "machine.slice/" + new string('y', 64), CgroupManager = CgroupManagers.Systemd,
            }, true, null),
            ["devices and cgroup rules, root"] = (Base('5') with
            {
                Devices = [new ContainerDevice("/dev/null", "/dev/mynull", "r", "c", 1, 3, 0x1b6, 0, 0), new ContainerDevice("/dev/loop0", "/dev/loop0", "rwm", "b", 7, 0, 0x180, 0, 6)],
                DeviceCgroupRules = ["c 1:1 rwm", "b *:* r"], CgroupPath = "skiff/5",
                Resources = new CgroupResources(BlockIoLimits: [new BlockIoLimit(BlockIoLimitKind.ReadBps, "/dev/loop0", 7, 0, 1 << 20)]),
            }, false, null),
            ["privileged with a cgroup"] = (Base('6') with { Privileged = true, CgroupPath = "skiff/6" }, false, null),
            ["devices rootless"] = (Base('7') with { Devices = [new ContainerDevice("/dev/null", "/dev/mynull", "rw", "c", 1, 3, 0x1b6, 0, 0), new ContainerDevice("/dev/zero", "/dev/zero", "r", "c", 1, 5, 0x1b6, 0, 0)] }, true, null),
            ["devices in a user namespace as root"] = (Base('8') with { Devices = [new ContainerDevice("/dev/null", "/dev/mynull", "rwm", "c", 1, 3, 0x1b6, 0, 0)], IdMappings = UserNamespace, CgroupPath = "skiff/8" }, false, null),
            ["memory reservation only"] = (Base('4') with { Resources = new CgroupResources(MemoryReservation: 1 << 26), CgroupPath = "skiff/4" }, false, null),
            ["cpu quota only"] = (Base('z') with { Resources = new CgroupResources(CpuQuota: -1), CgroupPath = "skiff/z" }, false, null),
            ["read-only root elsewhere"] = (Base('0') with { ReadOnlyRootfs = true, RootfsPath = "/srv/root", Entrypoint = ["/bin/sh", "-c"], Cmd = ["exit 3"] }, false, null),
            ["process flags: umask, oom-score-adj, shm-size, tz, annotations, unsetenv"] = (Base('2') with
            {
                Umask = 63, OomScoreAdj = 200, ShmSize = 1 << 20, Timezone = "UTC", UnsetEnv = ["PATH"], Env = ["A=1"],
                Labels = new Dictionary<string, string> { ["l"] = "label" },
                Annotations = new Dictionary<string, string> { ["l"] = "annotation", ["io.x"] = "y=z" },
            }, false, null),
            ["unsetenv-all with a tty"] = (Base('3') with { Tty = true, UnsetEnvAll = true, Env = ["TERM=mine"], ShmSize = 0 }, true, null),
            ["everything"] = (Base('1') with
            {
                Tty = true, Init = true, InitPath = "/init", User = "app:staff", GroupAdd = ["wheel"], CapAdd = ["ALL"], CapDrop = ["MKNOD"],
                SecurityOpt = ["no-new-privileges"], Ulimits = ["nofile=10:20"], Labels = new Dictionary<string, string> { ["l"] = "v" },
                Mounts = [new ContainerMount("tmpfs", "", "/t", null, [])], IdMappings = UserNamespace, NetworkMode = "pasta:--map-gw",
                Resources = new CgroupResources(Memory: 1 << 26), CgroupPath = "skiff/1", CgroupNamespace = true,
                Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1" },
            }, true, new TerminalSize(1, 2)),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_the_document_the_JsonNode_path_wrote(string name)
    {
        File.WriteAllText(Path.Combine(_dir, "seccomp-profile.json"), """
            {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"architectures":["SCMP_ARCH_X86_64"],
             "syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"},
                         {"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":8,"valueTwo":0,"op":"SCMP_CMP_EQ"}]},
                         {"names":["ptrace"],"action":"SCMP_ACT_ERRNO","errnoRet":38}]}
            """);
        (ContainerConfig config, bool rootless, TerminalSize? size) = Variants(_dir)[name];
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        store.Create(config);

        new BundleWriter(store).Write(config, rootless, size);

        string text = File.ReadAllText(Path.Combine(store.BundleDirectory(config.Id), "config.json"));
        JsonNode actual = JsonNode.Parse(text)!;
        JsonObject expected = JsonNodeBundleReference.Build(store, config, rootless, size);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected\n{expected.ToJsonString()}\nactual\n{actual.ToJsonString()}");
        Assert.StartsWith("{\n  \"ociVersion\": \"1.0.2\",\n  \"process\": {", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_only_missing_hosts_and_resolv_conf()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        ContainerConfig config = new()
        {
            Id = new string('h', 64), Name = "h", Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "skiff", Cmd = ["true"], Hostname = "box",
        };
        store.Create(config);
        string directory = store.Directory(config.Id);
        File.WriteAllText(Path.Combine(directory, "hosts"), "10.0.0.1 engine\n");

        new BundleWriter(store).Write(config, rootless: false);

        Assert.Equal("10.0.0.1 engine\n", File.ReadAllText(Path.Combine(directory, "hosts")));
        Assert.Equal(string.Empty, File.ReadAllText(Path.Combine(directory, "resolv.conf")));
        Assert.Equal("box\n", File.ReadAllText(Path.Combine(directory, "hostname")));
    }

    [Fact]
    public void An_unlimited_ulimit_is_rlim_infinity()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        ContainerConfig config = new()
        {
            Id = new string('u', 64), Name = "u", Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "skiff", Cmd = ["true"], Ulimits = ["core=-1", "nofile=5:-1"],
        };
        store.Create(config);

        new BundleWriter(store).Write(config, rootless: false);

        Skiff.Runtime.Spec.RuntimeSpec spec = Skiff.Runtime.Spec.SpecJsonReader.Read(File.ReadAllBytes(Path.Combine(store.BundleDirectory(config.Id), "config.json")))!;
        Assert.Collection(
            spec.Process!.Rlimits!,
            r => Assert.Equal(("RLIMIT_CORE", ulong.MaxValue, ulong.MaxValue), (r.Type, r.Soft, r.Hard)),
            r => Assert.Equal(("RLIMIT_NOFILE", 5UL, ulong.MaxValue), (r.Type, r.Soft, r.Hard)),
            r => Assert.Equal("RLIMIT_NPROC", r.Type));
    }

    [Fact]
    public void Open_files_and_processes_default_to_podmans_limit_or_the_callers_hard_limit_and_host_keeps_the_callers()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        Skiff.Runtime.Spec.RlimitSpec[] Written(params string[] ulimits)
        {
            ContainerConfig config = new()
            {
                Id = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), Name = "d" + Guid.NewGuid().ToString("N")[..8], Created = DateTimeOffset.UnixEpoch,
                Image = "busybox", Runtime = "skiff", Cmd = ["true"], Ulimits = ulimits,
            };
            store.Create(config);
            new BundleWriter(store).Write(config, rootless: false);
            return [.. Skiff.Runtime.Spec.SpecJsonReader.Read(File.ReadAllBytes(Path.Combine(store.BundleDirectory(config.Id), "config.json")))!.Process!.Rlimits!];
        }

        ulong files = Math.Min(1048576UL, HardLimit("-Hn"));
        ulong processes = Math.Min(1048576UL, HardLimit("-Hu"));
        Assert.Equal([("RLIMIT_NOFILE", files, files), ("RLIMIT_NPROC", processes, processes)], Written().Select(r => (r.Type, r.Soft, r.Hard)));
        Assert.Equal([("RLIMIT_NOFILE", 100UL, 200UL), ("RLIMIT_NPROC", processes, processes)], Written("nofile=100:200").Select(r => (r.Type, r.Soft, r.Hard)));
        Assert.Empty(Written("host"));
        Assert.Throws<Skiff.Core.Errors.SkiffException>(() => BundleWriter.ParseUlimit("nofiles=1"));
        Assert.Throws<Skiff.Core.Errors.SkiffException>(() => BundleWriter.ParseUlimit("nofile=20:10"));
    }

    private static ulong HardLimit(string flag)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("bash", ["-c", $"ulimit {flag}"]) { RedirectStandardOutput = true };
        using var bash = System.Diagnostics.Process.Start(psi)!;
        string text = bash.StandardOutput.ReadToEnd().Trim();
        bash.WaitForExit();
        return text == "unlimited" ? ulong.MaxValue : ulong.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
