using System.Text;
using System.Text.Json;
using Skiff.Runtime.Seccomp;

namespace Skiff.Tests.Unit.Seccomp;

/// <summary>
/// The hand-written profile reader against System.Text.Json's source-generated contract for the same types:
/// whatever one accepts the other must read to the same object (compared through STJ's own output), and what
/// one rejects the other must reject.
/// </summary>
public class SeccompProfileJsonReaderTests
{
    private const string EveryField = """
        // docker's format, every member
        {
          "defaultAction": "SCMP_ACT_ERRNO",
          "defaultErrnoRet": 1,
          "architectures": ["SCMP_ARCH_X86_64"],
          "archMap": [{ "architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] }, null],
          "flags": ["SECCOMP_FILTER_FLAG_LOG"],
          "syscalls": [
            { "names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "errnoRet": 38, "args": [{ "index": 0, "value": 1, "valueTwo": 2, "op": "SCMP_CMP_EQ" }],
              "includes": { "caps": ["CAP_SYS_ADMIN"], "arches": ["amd64"], "minKernel": "4.8" }, "excludes": { "caps": ["CAP_SYS_PTRACE"] }, "comment": "skipped" },
            { "name": "ptrace", "action": "SCMP_ACT_ERRNO", "includes": {}, "excludes": null },
            null,
          ],
          "unknownField": { "nested": [1, 2, { "x": null }] }
        }
        /* and one after */
        """;

    public static TheoryData<string> Documents() => new()
    {
        EveryField,
        DefaultProfile(),
        "{}",
        """{ "defaultAction": null, "architectures": null, "archMap": null, "flags": null, "syscalls": null, "defaultErrnoRet": null }""",
        """{ "syscalls": [{ "names": null, "name": null, "args": null, "includes": { "caps": null, "arches": null, "minKernel": null } }] }""",
        """{ "defaultAction": "a", "defaultAction": "b", "DefaultAction": "case matters" }""",
        """{ "syscalls": [{ "names": ["\ud83d\ude00", null] }] }""",
        "null",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Reads_what_the_generated_contract_reads(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        SeccompProfile? expected = JsonSerializer.Deserialize(json, SeccompJsonContext.Default.SeccompProfile);
        SeccompProfile? actual = SeccompProfileJsonReader.Read(json);
        Assert.Equal(Canonical(expected), Canonical(actual));
    }

    [Fact]
    public void The_default_profile_is_read_whole()
    {
        SeccompProfile profile = SeccompProfileResolver.LoadDefault();
        Assert.Equal(Canonical(JsonSerializer.Deserialize(DefaultProfile(), SeccompJsonContext.Default.SeccompProfile)), Canonical(profile));
        Assert.NotEmpty(profile.Syscalls!);
        Assert.Contains(profile.Syscalls!, rule => rule.Includes?.Caps is { Count: > 0 });
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{} {}")]
    [InlineData("{\"syscalls\": {}}")]
    [InlineData("{\"syscalls\": [1]}")]
    [InlineData("{\"defaultErrnoRet\": -1}")]
    [InlineData("{\"defaultErrnoRet\": \"1\"}")]
    [InlineData("{\"syscalls\": [{\"args\": [{\"index\": null}]}]}")]
    [InlineData("{\"syscalls\": [{\"includes\": []}]}")]
    [InlineData("{\"archMap\": [{\"subArchitectures\": \"x\"}]}")]
    [InlineData("{\"flags\": [1]}")]
    [InlineData("{\"defaultAction\": \"x\"")]
    public void Rejects_what_the_generated_contract_rejects(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, SeccompJsonContext.Default.SeccompProfile));
        Assert.ThrowsAny<JsonException>(() => SeccompProfileJsonReader.Read(json));
    }

    [Fact]
    public void Errors_carry_the_line()
    {
        JsonException e = Assert.ThrowsAny<JsonException>(() => SeccompProfileJsonReader.Read("{\n\"syscalls\": [\n1]}"u8));
        Assert.Equal(2, e.LineNumber);
    }

    private static string DefaultProfile() => System.Text.Encoding.UTF8.GetString(DefaultSeccompProfile.Json);

    private static string Canonical(SeccompProfile? profile) => JsonSerializer.Serialize(profile, SeccompJsonContext.Default.SeccompProfile);
}
