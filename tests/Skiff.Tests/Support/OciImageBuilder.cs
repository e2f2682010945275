using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Skiff.Tests.Support;

/// <summary>
/// Builds an OCI image (layers, config, manifest) and writes it into an OCI image layout; several
/// images may share one layout under different tags. Output is deterministic: fixed timestamps, and
/// JSON written in a fixed key order.
/// </summary>
public sealed class OciImageBuilder
{
    private readonly List<(LayerBuilder Layer, LayerCompression Compression)> layers = [];

    public ImageConfig Config { get; } = new();

    public string Architecture { get; set; } = Skiff.Cli.Commands.System.VersionCommand.Architecture();

    public string Os { get; set; } = "linux";

    public string? Variant { get; set; }

    /// <summary>Annotations on the manifest.</summary>
    public Dictionary<string, string> Annotations { get; } = [];

    public OciImageBuilder Layer(LayerBuilder layer, LayerCompression compression = LayerCompression.Gzip)
    {
        layers.Add((layer, compression));
        return this;
    }

    public OciImageBuilder Layer(Action<LayerBuilder> build, LayerCompression compression = LayerCompression.Gzip)
    {
        var layer = new LayerBuilder();
        build(layer);
        return Layer(layer, compression);
    }

    public OciImageBuilder Configure(Action<ImageConfig> configure)
    {
        configure(Config);
        return this;
    }

    /// <summary>Writes blobs and adds (or replaces) <paramref name="tag"/> in the layout's index.json.</summary>
    public OciImage WriteLayout(string layoutDirectory, string tag = "latest")
    {
        string blobs = Path.Combine(layoutDirectory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        File.WriteAllText(Path.Combine(layoutDirectory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");

        var layerDescriptors = new JsonArray();
        var layerDigests = new List<string>();
        var diffIds = new List<string>();
        foreach ((LayerBuilder layer, LayerCompression compression) in layers)
        {
            byte[] tar = layer.ToTar();
            byte[] blob = LayerBuilder.Compress(tar, compression);
            string digest = WriteBlob(blobs, blob);
            layerDigests.Add(digest);
            diffIds.Add(DigestOf(tar));
            layerDescriptors.Add((JsonNode)Descriptor(LayerMediaType(compression), digest, blob.Length));
        }

        byte[] config = Serialize(ConfigJson(diffIds));
        string configDigest = WriteBlob(blobs, config);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.Length),
            ["layers"] = layerDescriptors,
        };
        if (Annotations.Count > 0)
        {
            manifest["annotations"] = StringMap(Annotations);
        }

        byte[] manifestBytes = Serialize(manifest);
        string manifestDigest = WriteBlob(blobs, manifestBytes);
        AddToIndex(layoutDirectory, tag, manifestDigest, manifestBytes.Length);
        return new OciImage(layoutDirectory, tag, manifestDigest, configDigest, layerDigests, diffIds);
    }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string LayerMediaType(LayerCompression compression) => compression switch
    {
        LayerCompression.None => "application/vnd.oci.image.layer.v1.tar",
        LayerCompression.Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        _ => "application/vnd.oci.image.layer.v1.tar+zstd",
    };

    private JsonObject ConfigJson(List<string> diffIds)
    {
        string created = LayerBuilder.FixedTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var runtime = new JsonObject { ["Env"] = StringArray(Config.Env) };
        if (Config.Cmd is not null)
        {
            runtime["Cmd"] = StringArray(Config.Cmd);
        }

        if (Config.Entrypoint is not null)
        {
            runtime["Entrypoint"] = StringArray(Config.Entrypoint);
        }

        if (Config.WorkingDir is not null)
        {
            runtime["WorkingDir"] = Config.WorkingDir;
        }

        if (Config.User is not null)
        {
            runtime["User"] = Config.User;
        }

        if (Config.Labels.Count > 0)
        {
            runtime["Labels"] = StringMap(Config.Labels);
        }

        if (Config.ExposedPorts.Count > 0)
        {
            runtime["ExposedPorts"] = EmptyObjects(Config.ExposedPorts);
        }

        if (Config.Volumes.Count > 0)
        {
            runtime["Volumes"] = EmptyObjects(Config.Volumes);
        }

        if (Config.StopSignal is not null)
        {
            runtime["StopSignal"] = Config.StopSignal;
        }

        if (Config.Healthcheck is not null)
        {
            runtime["Healthcheck"] = Config.Healthcheck.DeepClone();
        }

        var history = new JsonArray();
        for (int i = 0; i < diffIds.Count; i++)
        {
            history.Add((JsonNode)new JsonObject { ["created"] = created, ["created_by"] = $"skiff tests: layer {i}" });
        }

        var config = new JsonObject
        {
            ["created"] = created,
            ["architecture"] = Architecture,
            ["os"] = Os,
        };
        if (Variant is not null)
        {
            config["variant"] = Variant;
        }

        config["config"] = runtime;
        config["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = StringArray(diffIds) };
        config["history"] = history;
        return config;
    }

    private static void AddToIndex(string layoutDirectory, string tag, string digest, long size)
    {
        const string RefName = "org.opencontainers.image.ref.name";
        string indexPath = Path.Combine(layoutDirectory, "index.json");
        JsonObject index = File.Exists(indexPath)
            ? JsonNode.Parse(File.ReadAllText(indexPath))!.AsObject()
            : new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["manifests"] = new JsonArray() };
        JsonArray manifests = index["manifests"]!.AsArray();
        foreach (JsonNode? existing in manifests.Where(m => (string?)m?["annotations"]?[RefName] == tag).ToList())
        {
            manifests.Remove(existing);
        }

        JsonObject descriptor = Descriptor("application/vnd.oci.image.manifest.v1+json", digest, size);
        descriptor["annotations"] = new JsonObject { [RefName] = tag };
        manifests.Add((JsonNode)descriptor);
        File.WriteAllBytes(indexPath, Serialize(index));
    }

    private static string WriteBlob(string blobs, byte[] content)
    {
        string digest = DigestOf(content);
        File.WriteAllBytes(Path.Combine(blobs, digest["sha256:".Length..]), content);
        return digest;
    }

    private static JsonObject Descriptor(string mediaType, string digest, long size) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = digest,
        ["size"] = size,
    };

    private static JsonArray StringArray(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonObject StringMap(IEnumerable<KeyValuePair<string, string>> values)
    {
        var map = new JsonObject();
        foreach ((string key, string value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            map[key] = value;
        }

        return map;
    }

    private static JsonObject EmptyObjects(IEnumerable<string> keys)
    {
        var map = new JsonObject();
        foreach (string key in keys.Order(StringComparer.Ordinal))
        {
            map[key] = new JsonObject();
        }

        return map;
    }

    private static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}
