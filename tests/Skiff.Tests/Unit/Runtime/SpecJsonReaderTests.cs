using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>
/// The hand-written spec reader and writer against System.Text.Json's source-generated contract for the same
/// types: whatever one accepts the other must read to the same object (compared through STJ's own output),
/// and what one rejects the other must reject.
/// </summary>
public class SpecJsonReaderTests
{
    private const string EveryField = """
        // a comment before the spec
        {
          "ociVersion": "1.0.2",
          "process": {
            "terminal": true,
            "consoleSize": { "height": 24, "width": 80 },
            "user": { "uid": 1000, "gid": 1000, "umask": 18, "additionalGids": [10, 4294967295] },
            "args": ["sh", "-c", "echo \"h\u00e9llo\" \\ \t"],
            "env": ["PATH=/bin", "TERM=xterm"],
            "cwd": "/work",
            "capabilities": { "bounding": ["CAP_KILL"], "effective": [], "inheritable": ["CAP_CHOWN"], "permitted": ["CAP_KILL"], "ambient": ["CAP_KILL"] },
            "rlimits": [{ "type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 1024 }],
            "noNewPrivileges": true,
            "apparmorProfile": "unconfined",
            "oomScoreAdj": -500,
            "selinuxLabel": "ignored",
          },
          "root": { "path": "/var/lib/x/rootfs", "readonly": true },
          "hostname": "box",
          "mounts": [
            { "destination": "/proc", "type": "proc", "source": "proc" },
            { "destination": "/data", "type": "bind", "source": "/srv", "options": ["rbind", "ro"], "uidMappings": [] },
          ],
          "linux": {
            "uidMappings": [{ "containerID": 0, "hostID": 1001, "size": 1 }, { "containerID": 1, "hostID": 100000, "size": 65536 }],
            "gidMappings": [{ "containerID": 0, "hostID": 1001, "size": 1 }],
            "namespaces": [{ "type": "pid" }, { "type": "mount" }, { "type": "network", "path": "/proc/1/ns/net" }],
            "maskedPaths": ["/proc/kcore"],
            "readonlyPaths": ["/proc/sys"],
            "seccomp": {
              "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64"], "flags": ["SECCOMP_FILTER_FLAG_LOG"],
              "syscalls": [{ "names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "errnoRet": 38, "args": [{ "index": 0, "value": 1, "valueTwo": 2, "op": "SCMP_CMP_EQ" }] }]
            },
            "resources": {
              "memory": { "limit": 1048576, "reservation": 524288, "swap": -1 },
              "cpu": { "shares": 512, "quota": 50000, "period": 100000, "cpus": "0-1" },
              "pids": { "limit": 10 },
              "blockIO": { "weight": 300 },
              "devices": [{ "allow": false, "access": "rwm" }]
            },
            "cgroupsPath": "skiff/abc",
            "rootfsPropagation": "rslave",
            "sysctl": { "net.ipv4.ip_forward": "1", "kernel.msgmax": "65536" },
            "devices": [{ "type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0 }],
            "personality": { "domain": "LINUX32", "flags": [] },
            "unknownField": { "nested": [1, 2, { "x": null }] }
          },
          "annotations": { "io.podman.keep": "1", "": "empty key" },
          "hooks": { "prestart": [] }
        }
        /* and one after */
        """;

    public static TheoryData<string> Documents() => new()
    {
        EveryField,
        "{}",
        """{ "process": null, "root": null, "hostname": null, "mounts": null, "linux": null, "annotations": null }""",
        """{ "process": { "user": null, "args": null, "env": [null], "cwd": null, "capabilities": {}, "rlimits": [] } }""",
        """{ "linux": { "namespaces": null, "resources": { "memory": {}, "cpu": { "shares": null }, "blockIO": {} }, "seccomp": {} } }""",
        """{ "ociVersion": "a", "ociVersion": "b", "Hostname": "case matters", "hostname": "h" }""",
        """{ "mounts": [null, { "destination": "/x", "options": null }] }""",
        """{ "process": { "args": ["\ud83d\ude00", "<html>&'"] } }""",
        "null",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Reads_what_the_generated_contract_reads(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        RuntimeSpec? expected = JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec);
        RuntimeSpec? actual = SpecJsonReader.Read(json);
        Assert.Equal(Canonical(expected), Canonical(actual));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Writes_what_the_generated_contract_writes(string document)
    {
        RuntimeSpec? spec = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(document), SpecJsonContext.Default.RuntimeSpec);
        if (spec is null)
        {
            return;
        }

        byte[] written = SpecJsonWriter.Write(spec);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(spec, SpecJsonContext.Default.RuntimeSpec)), JsonNode.Parse(written)));
        Assert.Equal(Canonical(spec), Canonical(SpecJsonReader.Read(written)));
    }

    [Fact]
    public void Round_trips_the_specs_skiff_makes()
    {
        RuntimeSpec spec = SpecDefaults.Create(new SpecDefaultsOptions(["sh", "-c", "true"])
        {
            Hostname = "h",
            UserNamespace = new IdMap([new(0, 1001, 1), new(1, 100000, 65536)], [new(0, 1001, 1), new(1, 100000, 65536)]),
        });
        spec.Linux!.Seccomp = SeccompProfileResolver.Resolve(SeccompProfileResolver.LoadDefault(), SpecDefaults.DefaultCapabilities.ToList());
        byte[] written = SpecJsonWriter.Write(spec);
        Assert.Equal(Canonical(spec), Canonical(SpecJsonReader.Read(written)));
        Assert.Equal(Canonical(spec), Canonical(SpecJsonReader.Read(JsonSerializer.SerializeToUtf8Bytes(spec, SpecJsonContext.Default.RuntimeSpec))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Writing_to_a_stream_gives_the_same_bytes(bool indented)
    {
        RuntimeSpec spec = SpecDefaults.Create(new SpecDefaultsOptions(["sh", "-c", "true"]) { Hostname = "h" });
        spec.Linux!.Seccomp = SeccompProfileResolver.Resolve(SeccompProfileResolver.LoadDefault(), SpecDefaults.DefaultCapabilities.ToList());
        using var stream = new MemoryStream();
        SpecJsonWriter.Write(spec, stream, indented);
        byte[] whole = SpecJsonWriter.Write(spec, indented);
        Assert.True(whole.Length > 4096, "the document spans more than one of the writer's 4 KiB buffers");
        Assert.Equal(whole, stream.ToArray());
    }

    [Fact]
    public void Writes_the_seccomp_section_as_its_own_contract_does()
    {
        SeccompSpec seccomp = SeccompProfileResolver.Resolve(SeccompProfileResolver.LoadDefault(), SpecDefaults.DefaultCapabilities.ToList());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(seccomp, SeccompJsonContext.Default.SeccompSpec)),
            JsonNode.Parse(SpecJsonWriter.WriteSeccomp(seccomp))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{} {}")]
    [InlineData("{\"process\": []}")]
    [InlineData("{\"process\": {\"terminal\": null}}")]
    [InlineData("{\"process\": {\"terminal\": 1}}")]
    [InlineData("{\"process\": {\"user\": {\"uid\": -1}}}")]
    [InlineData("{\"process\": {\"user\": {\"uid\": 1.5}}}")]
    [InlineData("{\"process\": {\"user\": {\"uid\": \"0\"}}}")]
    [InlineData("{\"process\": {\"args\": \"sh\"}}")]
    [InlineData("{\"process\": {\"args\": [1]}}")]
    [InlineData("{\"process\": {\"oomScoreAdj\": 2147483648}}")]
    [InlineData("{\"mounts\": {}}")]
    [InlineData("{\"linux\": {\"sysctl\": {\"a\": 1}}}")]
    [InlineData("{\"linux\": {\"resources\": {\"blockIO\": {\"weight\": 65536}}}}")]
    [InlineData("{\"linux\": {\"resources\": {\"pids\": {\"limit\": null}}}}")]
    [InlineData("{\"linux\": {\"devices\": [{\"major\": 1e3}]}}")]
    [InlineData("{\"root\": {\"path\": \"x\"")]
    public void Rejects_what_the_generated_contract_rejects(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec));
        Assert.ThrowsAny<JsonException>(() => SpecJsonReader.Read(json));
    }

    [Fact]
    public void Errors_carry_the_line()
    {
        JsonException e = Assert.ThrowsAny<JsonException>(() => SpecJsonReader.Read("{\n\"process\": {\n\"terminal\": \"yes\"}}"u8));
        Assert.Equal(2, e.LineNumber);
    }

    [Fact]
    public void Reads_a_process_on_its_own()
    {
        byte[] json = """{ "args": ["ls"], "cwd": "/tmp", "user": { "uid": 5, "gid": 6 }, "env": ["A=b"] }"""u8.ToArray();
        ProcessSpec? expected = JsonSerializer.Deserialize(json, SpecJsonContext.Default.ProcessSpec);
        ProcessSpec? actual = SpecJsonReader.ReadProcess(json);
        Assert.Equal(
            JsonSerializer.Serialize(expected, SpecJsonContext.Default.ProcessSpec),
            JsonSerializer.Serialize(actual, SpecJsonContext.Default.ProcessSpec));
        Assert.Null(SpecJsonReader.ReadProcess("null"u8));
        Assert.ThrowsAny<JsonException>(() => SpecJsonReader.ReadProcess("{\"args\": 1}"u8));
    }

    private static string Canonical(RuntimeSpec? spec) => JsonSerializer.Serialize(spec, SpecJsonContext.Default.RuntimeSpec);
}
