using System.Text;
using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Runtime;

public class SpecTests
{
    private const string CrunStyleSpec = """
        {
          "ociVersion": "1.0.0",
          "process": {
            "terminal": false,
            "user": { "uid": 0, "gid": 0, "additionalGids": [10] },
            "args": ["sh", "-c", "id"],
            "env": ["PATH=/bin", "TERM=xterm"],
            "cwd": "/",
            "capabilities": { "bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"], "ambient": ["CAP_KILL"] },
            "rlimits": [{ "type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024 }],
            "noNewPrivileges": true,
            "apparmorProfile": "ignored"
          },
          "root": { "path": "rootfs", "readonly": true },
          "hostname": "box",
          "mounts": [{ "destination": "/proc", "type": "proc", "source": "proc" }],
          "linux": {
            "uidMappings": [{ "containerID": 0, "hostID": 1001, "size": 1 }],
            "gidMappings": [{ "containerID": 0, "hostID": 1001, "size": 1 }],
            "namespaces": [{ "type": "pid" }, { "type": "mount" }, { "type": "uts" }, { "type": "user" }, { "type": "network", "path": "/proc/1/ns/net" }],
            "maskedPaths": ["/proc/kcore"],
            "readonlyPaths": ["/proc/sys"],
            "resources": { "memory": { "limit": 1048576 }, "pids": { "limit": 10 }, "devices": [{ "allow": false, "access": "rwm" }] },
            "rootfsPropagation": "rslave",
            "sysctl": { "net.ipv4.ip_forward": "1" },
            "seccomp": { "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{ "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{ "index": 0, "value": 1, "op": "SCMP_CMP_EQ" }] }] },
            "unknownField": 1
          }
        }
        """;

    [Fact]
    public void Parses_every_field_the_runtime_uses()
    {
        RuntimeSpec spec = SpecFile.Parse(Encoding.UTF8.GetBytes(CrunStyleSpec), "config.json");
        Assert.Equal(["sh", "-c", "id"], spec.Process!.Args);
        Assert.Equal([10u], spec.Process.User.AdditionalGids!);
        Assert.True(spec.Process.NoNewPrivileges);
        Assert.Equal("RLIMIT_NOFILE", spec.Process.Rlimits![0].Type);
        Assert.True(spec.Root!.Readonly);
        Assert.Equal(1001u, spec.Linux!.UidMappings![0].HostId);
        Assert.Equal("/proc/1/ns/net", spec.Linux.Namespaces.Single(n => n.Type == "network").Path);
        Assert.Equal(1048576, spec.Linux.Resources!.Memory!.Limit);
        Assert.Equal("SCMP_CMP_EQ", spec.Linux.Seccomp!.Syscalls![0].Args![0].Op);
        Assert.Empty(SpecValidator.Check(spec));
    }

    [Fact]
    public void Round_trips_with_oci_field_names()
    {
        RuntimeSpec spec = SpecDefaults.Create(new SpecDefaultsOptions(["true"])
        {
            UserNamespace = new IdMap([new(0, 1001, 1), new(1, 100000, 65536)], [new(0, 1001, 1), new(1, 100000, 65536)]),
        });
        string json = JsonSerializer.Serialize(spec, SpecJsonContext.Default.RuntimeSpec);
        Assert.Contains("\"containerID\": 1", json);
        Assert.Contains("\"hostID\": 100000", json);
        Assert.Contains("\"ociVersion\"", json);
        Assert.DoesNotContain("\"seccomp\"", json);
        RuntimeSpec back = SpecFile.Parse(Encoding.UTF8.GetBytes(json), "x");
        Assert.Equal(spec.Mounts.Count, back.Mounts.Count);
        Assert.Empty(SpecValidator.Check(back));
    }

    [Fact]
    public void Defaults_are_podmans()
    {
        RuntimeSpec spec = SpecDefaults.Create(new SpecDefaultsOptions(["sh"]) { Hostname = "h" });
        Assert.Equal(11, spec.Process!.Capabilities!.Bounding!.Count);
        Assert.Contains("CAP_NET_BIND_SERVICE", spec.Process.Capabilities.Effective!);
        Assert.DoesNotContain("CAP_SYS_ADMIN", spec.Process.Capabilities.Bounding);
        Assert.Empty(spec.Process.Capabilities.Inheritable!);
        Assert.Empty(spec.Process.Capabilities.Ambient!);
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys", "/dev/shm"], spec.Mounts.Select(m => m.Destination));
        Assert.Contains("ptmxmode=0666", spec.Mounts[2].Options!);
        Assert.Contains("newinstance", spec.Mounts[2].Options!);
        Assert.Contains("ro", spec.Mounts[4].Options!);
        Assert.Contains("/proc/kcore", spec.Linux!.MaskedPaths!);
        Assert.Contains("/sys/dev/block", spec.Linux.MaskedPaths!);
        Assert.Contains("/proc/sysrq-trigger", spec.Linux.ReadonlyPaths!);
        Assert.StartsWith("PATH=", spec.Process.Env[0]);
        Assert.DoesNotContain(spec.Linux.Namespaces, n => n.Type == "user");
        Assert.Empty(SpecValidator.Check(spec));
    }

    [Fact]
    public void Rootless_defaults_drop_tty_gid_when_it_is_not_mapped()
    {
        RuntimeSpec spec = SpecDefaults.Create(new SpecDefaultsOptions(["sh"])
        {
            UserNamespace = new IdMap([new(0, 1001, 1)], [new(0, 1001, 1)]),
        });
        Assert.DoesNotContain("gid=5", spec.Mounts[2].Options!);
        Assert.Contains(spec.Linux!.Namespaces, n => n.Type == "user");
    }

    [Fact]
    public void Validation_lists_every_problem()
    {
        RuntimeSpec spec = SpecDefaults.Create(new SpecDefaultsOptions(["sh"]) { Cwd = "relative" });
        spec.Process!.Capabilities!.Bounding!.Add("CAP_FLY");
        spec.Process.Rlimits = [new RlimitSpec { Type = "RLIMIT_BOGUS" }, new RlimitSpec { Type = "RLIMIT_NOFILE", Soft = 2, Hard = 1 }];
        spec.Linux!.Namespaces.Add(new NamespaceSpec { Type = "user" });
        spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "pid" });
        spec.Mounts.Add(new SpecMount { Destination = "tmp" });
        spec.Hostname = "h";
        spec.Linux.Namespaces.RemoveAll(n => n.Type == "uts");

        SkiffException e = Assert.Throws<SkiffException>(() => SpecValidator.Validate(spec));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("process.cwd `relative`", e.Message);
        Assert.Contains("unknown capability `CAP_FLY`", e.Message);
        Assert.Contains("unknown rlimit `RLIMIT_BOGUS`", e.Message);
        Assert.Contains("soft limit 2 is above the hard limit 1", e.Message);
        Assert.Contains("needs linux.uidMappings", e.Message);
        Assert.Contains("`pid` is listed twice", e.Message);
        Assert.Contains("`tmp` must be an absolute path", e.Message);
        Assert.Contains("hostname needs a new uts namespace", e.Message);
    }

    [Fact]
    public void Empty_args_and_missing_linux_are_rejected()
    {
        var spec = new RuntimeSpec { Process = new ProcessSpec(), Root = new RootSpec() };
        List<string> problems = SpecValidator.Check(spec);
        Assert.Contains(problems, p => p.Contains("process.args", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("linux is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_json_is_an_invalid_argument_with_a_line()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => SpecFile.Parse("{\n\"process\": [}"u8, "b/config.json"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("b/config.json: invalid runtime spec (line 2)", e.Message);
    }

    [Fact]
    public void Capability_names_accept_docker_spelling()
    {
        Assert.True(Capabilities.TryParse("net_admin", out int n));
        Assert.Equal(12, n);
        Assert.Equal((1UL << 0) | (1UL << 5), Capabilities.Mask(["CAP_CHOWN", "KILL"]));
    }
}
