using System.Text;
using System.Text.Json;
using Skiff.Images.Manifests;
using Skiff.Images.Store;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Images;

/// <summary>
/// The hand-written readers of what `run` reads of an image (configuration, manifest, image record, layer.json)
/// against System.Text.Json's source-generated contracts for the same types: whatever one accepts the other must
/// read to the same object (compared through STJ's own output), and what one rejects the other must reject.
/// </summary>
public class ImageJsonReaderTests
{
    private const string DockerConfig = """
        {"architecture":"amd64","config":{"Hostname":"","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "Cmd":["sh"],"Image":"sha256:abc","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},
        "container":"1f7a","created":"2023-07-18T23:19:33.655005962Z","docker_version":"20.10.23",
        "history":[{"created":"2023-07-18T23:19:33.538571854Z","created_by":"/bin/sh -c #(nop) ADD file:7e9002edaafd4e4579b65c8f0aaabde1aeb7fd3f8d95579f7fd3443cef785fd1 in / "},
        {"created":"2023-07-18T23:19:33.655005962Z","created_by":"/bin/sh -c #(nop)  CMD [\"sh\"]","empty_layer":true}],
        "os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:3d24ee258efc3bfe4066a1a9fb83febf6dc0b1548dfe896161533668281c9f4f"]}}
        """;

    private const string EveryConfigField = """
        {
          "created": "2024-01-02T03:04:05+02:00", "author": "me", "architecture": "arm64", "os": "linux", "variant": "v8",
          "config": {
            "User": "1000:1000", "ExposedPorts": { "80/tcp": {}, "53/udp": { "ignored": [1, 2] }, "1/tcp": null },
            "Env": ["A=1", null], "Entrypoint": ["/bin/sh", "-c"], "Cmd": ["echo \u00e9\ud83d\ude00"],
            "Volumes": { "/data": {} }, "WorkingDir": "/w", "Labels": { "a": "b", "n": null }, "StopSignal": "SIGQUIT",
            "Unknown": { "deep": [{ "x": null }] }
          },
          "rootfs": { "type": "layers", "diff_ids": ["sha256:1", "sha256:2"], "more": true },
          "history": [{ "created": null, "created_by": "x", "author": "a", "comment": "c", "empty_layer": false }, null, {}],
          "extra": 1.5e3
        }
        """;

    public static TheoryData<string> Configs() => new()
    {
        DockerConfig,
        EveryConfigField,
        "{}",
        "null",
        """{ "created": null, "author": null, "architecture": null, "os": null, "variant": null, "config": null, "rootfs": null, "history": null }""",
        """{ "config": { "User": null, "ExposedPorts": null, "Env": null, "Entrypoint": null, "Cmd": null, "Volumes": null, "WorkingDir": null, "Labels": null, "StopSignal": null } }""",
        """{ "config": {}, "rootfs": {}, "history": [] }""",
        """{ "rootfs": { "type": null, "diff_ids": null } }""",
        """{ "os": "a", "os": "b", "OS": "case matters", "Config": { "Cmd": ["not read"] } }""",
        """{ "history": [{ "empty_layer": null }] }""",
    };

    public static TheoryData<string> Manifests() => new()
    {
        """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
        "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1457,"digest":"sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824"},
        "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":2152262,"digest":"sha256:809d8e20e2038c8bb1d45dfc2e3d1b2f6f5b6a5ba4f3fd7e4af5c3af9d9c9d8b"}]}
        """,
        """
        { "schemaVersion": 2, "mediaType": null, "annotations": { "org.opencontainers.image.created": "now", "n": null },
          "config": { "mediaType": "m", "digest": "d", "size": 0, "urls": ["https://x", null], "annotations": {},
                      "platform": { "architecture": "arm", "os": "linux", "variant": "v7", "os.version": "10", "os.features": ["x"] } },
          "layers": [null, { "size": 9223372036854775807, "platform": null, "urls": null, "annotations": null }],
          "unknown": [] }
        """,
        "{}",
        "null",
        """{ "config": null, "layers": null, "annotations": null }""",
        """{ "config": { "platform": {} }, "layers": [] }""",
        """{ "schemaVersion": 1, "schemaVersion": 2, "Layers": [1] }""",
    };

    public static TheoryData<string> Records() => new()
    {
        """
        {"id":"sha256:70f29f85215c06b3653da07caf324d95d637058bb7202ceebcf3d844e884fc0f","manifestDigest":"sha256:1","manifestMediaType":"application/vnd.oci.image.manifest.v1+json",
        "names":["localhost/bb:latest"],"digests":[],"created":"2026-12-01T21:20:01.1234567+00:00","stored":"2026-12-01T21:20:01.5+00:00",
        "diffIds":["sha256:2"],"size":2181808,"architecture":"amd64","os":"linux"}
        """,
        """{ "variant": "v8", "names": null, "digests": ["a@sha256:1", null], "diffIds": null, "id": null, "manifestDigest": null, "architecture": null, "os": null, "x": {} }""",
        "{}",
        "null",
        """{ "size": -1, "created": "2020-01-01T00:00:00Z", "Names": ["case matters"] }""",
    };

    public static TheoryData<string> Layers() => new()
    {
        """
        {
          "chainId": "sha256:3d24ee258efc3bfe4066a1a9fb83febf6dc0b1548dfe896161533668281c9f4f",
          "diffId": "sha256:3d24ee258efc3bfe4066a1a9fb83febf6dc0b1548dfe896161533668281c9f4f",
          "size": 4261574,
          "tarSize": 4437504,
          "whiteoutStyle": "overlay-trusted",
          "whiteouts": [],
          "opaqueDirectories": [],
          "warnings": [],
          "created": "2026-12-01T21:20:01.0730143+00:00"
        }
        """,
        """{ "parent": "sha256:1", "whiteouts": ["a/b", null], "opaqueDirectories": ["c"], "warnings": ["w"], "chainId": null, "diffId": null, "whiteoutStyle": null }""",
        """{ "whiteouts": null, "opaqueDirectories": null, "warnings": null, "parent": null, "ChainId": "case matters", "other": [1] }""",
        "{}",
        "null",
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Configurations_read_as_the_generated_contract_reads_them(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ImageConfig), ManifestJsonContext.Default.ImageConfig),
            JsonSerializer.Serialize(ManifestJsonReader.ReadConfig(json), ManifestJsonContext.Default.ImageConfig));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifests_read_as_the_generated_contract_reads_them(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ImageManifest), ManifestJsonContext.Default.ImageManifest),
            JsonSerializer.Serialize(ManifestJsonReader.ReadManifest(json), ManifestJsonContext.Default.ImageManifest));
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Image_records_read_as_the_generated_contract_reads_them(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize(json, StoreJsonContext.Default.ImageRecord), StoreJsonContext.Default.ImageRecord),
            JsonSerializer.Serialize(ImageRecordJsonReader.Read(json), StoreJsonContext.Default.ImageRecord));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_files_read_as_the_generated_contract_reads_them(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize(json, LayerJsonContext.Default.LayerInfo), LayerJsonContext.Default.LayerInfo),
            JsonSerializer.Serialize(LayerInfoJsonReader.Read(json), LayerJsonContext.Default.LayerInfo));
    }

    [Fact]
    public void What_is_written_reads_back_the_same()
    {
        var config = new ImageConfig
        {
            Created = DateTimeOffset.Parse("2024-05-06T07:08:09.123Z"),
            Architecture = "amd64",
            Os = "linux",
            Config = new ContainerConfig { Env = ["A=1"], Cmd = ["sh"], ExposedPorts = new Dictionary<string, EmptyObject> { ["80/tcp"] = new() }, Labels = new Dictionary<string, string> { ["k"] = "v" } },
            RootFs = new RootFs { DiffIds = ["sha256:1"] },
            History = [new HistoryEntry { CreatedBy = "x", EmptyLayer = true }],
        };
        string written = JsonSerializer.Serialize(config, ManifestJsonContext.Default.ImageConfig);
        Assert.Equal(written, JsonSerializer.Serialize(ManifestJsonReader.ReadConfig(Encoding.UTF8.GetBytes(written)), ManifestJsonContext.Default.ImageConfig));

        var layer = new LayerInfo { ChainId = "sha256:1", DiffId = "sha256:1", Whiteouts = ["a"], Created = DateTimeOffset.UnixEpoch };
        string layerJson = JsonSerializer.Serialize(layer, LayerJsonContext.Default.LayerInfo);
        Assert.Equal(layerJson, JsonSerializer.Serialize(LayerInfoJsonReader.Read(Encoding.UTF8.GetBytes(layerJson)), LayerJsonContext.Default.LayerInfo));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{} {}")]
    [InlineData("{\"created\": 1}")]
    [InlineData("{\"created\": \"yesterday\"}")]
    [InlineData("{\"rootfs\": []}")]
    [InlineData("{\"rootfs\": {\"diff_ids\": [1]}}")]
    [InlineData("{\"config\": {\"Env\": \"A=1\"}}")]
    [InlineData("{\"config\": {\"ExposedPorts\": {\"80/tcp\": 1}}}")]
    [InlineData("{\"config\": {\"Labels\": {\"a\": 1}}}")]
    [InlineData("{\"history\": [{\"empty_layer\": \"yes\"}]}")]
    [InlineData("{\"history\": [1]}")]
    [InlineData("{\"os\": \"linux\"")]
    public void Configurations_rejected_by_the_generated_contract_are_rejected(string document) =>
        BothReject(document, json => JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ImageConfig), json => ManifestJsonReader.ReadConfig(json));

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\": null}")]
    [InlineData("{\"schemaVersion\": \"2\"}")]
    [InlineData("{\"schemaVersion\": 2.5}")]
    [InlineData("{\"config\": {\"size\": null}}")]
    [InlineData("{\"config\": {\"size\": 1e3}}")]
    [InlineData("{\"config\": []}")]
    [InlineData("{\"layers\": {}}")]
    [InlineData("{\"layers\": [{\"platform\": []}]}")]
    [InlineData("{\"annotations\": []}")]
    public void Manifests_rejected_by_the_generated_contract_are_rejected(string document) =>
        BothReject(document, json => JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ImageManifest), json => ManifestJsonReader.ReadManifest(json));

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"created\": null}")]
    [InlineData("{\"stored\": \"\"}")]
    [InlineData("{\"size\": null}")]
    [InlineData("{\"names\": \"a\"}")]
    [InlineData("{\"diffIds\": [{}]}")]
    public void Image_records_rejected_by_the_generated_contract_are_rejected(string document) =>
        BothReject(document, json => JsonSerializer.Deserialize(json, StoreJsonContext.Default.ImageRecord), json => ImageRecordJsonReader.Read(json));

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"created\": null}")]
    [InlineData("{\"size\": \"1\"}")]
    [InlineData("{\"tarSize\": null}")]
    [InlineData("{\"whiteouts\": [1]}")]
    public void Layer_files_rejected_by_the_generated_contract_are_rejected(string document) =>
        BothReject(document, json => JsonSerializer.Deserialize(json, LayerJsonContext.Default.LayerInfo), json => LayerInfoJsonReader.Read(json));

    [Fact]
    public void Errors_carry_the_line()
    {
        JsonException e = Assert.ThrowsAny<JsonException>(() => ManifestJsonReader.ReadConfig("{\n\"rootfs\": {\n\"diff_ids\": [\n1]}}"u8));
        Assert.Equal(3, e.LineNumber);
    }

    private static void BothReject(string document, Func<byte[], object?> generated, Func<byte[], object?> hand)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.ThrowsAny<JsonException>(() => generated(json));
        Assert.ThrowsAny<JsonException>(() => hand(json));
    }
}
