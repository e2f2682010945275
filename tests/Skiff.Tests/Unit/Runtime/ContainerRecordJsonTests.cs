using System.Text;
using System.Text.Json;
using Skiff.Runtime.Containers;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>The hand-written runtime state.json against <see cref="StateJsonContext"/>: same bytes, same objects, same rejections.</summary>
public class ContainerRecordJsonTests
{
    public static TheoryData<string> Documents() => new()
    {
        "{}",
        """
        {
          "ociVersion": "1.0.2-dev", "id": "abc", "pid": 4242, "startTime": 18446744073709551615, "bundle": "/b", "rootfs": "/b/rootfs",
          "created": "2026-12-01T13:50:42.3929109Z", "owner": 1000, "annotations": { "a": "b", "c": null }, "cgroupPath": "skiff/abc",
          "paused": true, "future": [1, { "x": 2 }]
        }
        """,
        """{ "annotations": null, "cgroupPath": null, "created": "2026-12-01T13:50:42" }""",
        "null",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Reads_and_writes_what_the_generated_contract_does(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        ContainerRecord? expected = JsonSerializer.Deserialize(json, StateJsonContext.Default.ContainerRecord);
        ContainerRecord? actual = ContainerRecordJson.Read(json);
        Assert.Equal(Canonical(expected), Canonical(actual));
        if (expected is not null)
        {
            Assert.Equal(Canonical(expected), Encoding.UTF8.GetString(ContainerRecordJson.Write(expected)));
        }
    }

    [Fact]
    public void Writes_a_record_as_the_runtime_makes_it()
    {
        var record = new ContainerRecord { Id = "x", Pid = 7, StartTime = 99, Bundle = "/b", Rootfs = "/r", Created = DateTime.UtcNow, Owner = 0, CgroupPath = "skiff/x" };
        Assert.Equal(Canonical(record), Encoding.UTF8.GetString(ContainerRecordJson.Write(record)));
        Assert.Equal(Canonical(record), Canonical(ContainerRecordJson.Read(ContainerRecordJson.Write(record))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{ \"pid\": null }")]
    [InlineData("{ \"startTime\": -1 }")]
    [InlineData("{ \"created\": \"soon\" }")]
    [InlineData("{ \"annotations\": [] }")]
    [InlineData("{ \"paused\": \"true\" }")]
    [InlineData("{} 1")]
    public void Rejects_what_the_generated_contract_rejects(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, StateJsonContext.Default.ContainerRecord));
        Assert.ThrowsAny<JsonException>(() => ContainerRecordJson.Read(json));
    }

    private static string Canonical(ContainerRecord? record) => JsonSerializer.Serialize(record, StateJsonContext.Default.ContainerRecord);
}
