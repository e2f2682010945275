using System.Text.Json;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Images.Manifests;

/// <summary>
/// Reads an image configuration and an image manifest with <see cref="Utf8JsonReader"/> directly: `run` and
/// `create` read both on every container's start, and System.Text.Json's source-generated metadata for these
/// types is built at the first use through reflection that is slow under NativeAOT (more CPU than parsing the
/// documents). Same contract as <see cref="ManifestJsonContext"/>: names matched case-sensitively, unknown
/// members skipped, a JSON null sets a reference property to null and is an error for a number, and a member
/// left out is null or zero, not the type's initializer (the generated contract sets init-only members as it sets
/// constructor parameters). ImageJsonReaderTests compares the two on the same documents. Like the other hand
/// readers it also allows comments and trailing commas. Pulls, loads and commits keep the generated contract.
/// </summary>
public static class ManifestJsonReader
{
    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> (with the line) for anything else that is not a configuration.</summary>
    public static ImageConfig? ReadConfig(ReadOnlySpan<byte> json) => Document<ImageConfig>(json, Config, "image configuration");

    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> (with the line) for anything else that is not a manifest.</summary>
    public static ImageManifest? ReadManifest(ReadOnlySpan<byte> json) => Document<ImageManifest>(json, Manifest, "manifest");

    private static ImageConfig? Config(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        DateTimeOffset? created = null;
        string? author = null;
        string? architecture = null;
        string? os = null;
        string? variant = null;
        ContainerConfig? config = null;
        RootFs? rootFs = null;
        List<HistoryEntry>? history = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("created"u8)) { created = NullableTimestamp(ref r); }
            else if (r.ValueTextEquals("author"u8)) { author = String(ref r); }
            else if (r.ValueTextEquals("architecture"u8)) { architecture = String(ref r); }
            else if (r.ValueTextEquals("os"u8)) { os = String(ref r); }
            else if (r.ValueTextEquals("variant"u8)) { variant = String(ref r); }
            else if (r.ValueTextEquals("config"u8)) { config = ContainerConfig(ref r); }
            else if (r.ValueTextEquals("rootfs"u8)) { rootFs = RootFs(ref r); }
            else if (r.ValueTextEquals("history"u8)) { history = List(ref r, History); }
            else { Skip(ref r); }
        }

        return new ImageConfig
        {
            Created = created,
            Author = author,
            Architecture = architecture!,
            Os = os!,
            Variant = variant,
            Config = config,
            RootFs = rootFs!,
            History = history,
        };
    }

    private static ContainerConfig? ContainerConfig(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        string? user = null;
        Dictionary<string, EmptyObject>? exposedPorts = null;
        List<string>? env = null;
        List<string>? entrypoint = null;
        List<string>? cmd = null;
        Dictionary<string, EmptyObject>? volumes = null;
        string? workingDir = null;
        Dictionary<string, string>? labels = null;
        string? stopSignal = null;
        HealthConfig? healthcheck = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("User"u8)) { user = String(ref r); }
            else if (r.ValueTextEquals("ExposedPorts"u8)) { exposedPorts = EmptyObjects(ref r); }
            else if (r.ValueTextEquals("Env"u8)) { env = Strings(ref r); }
            else if (r.ValueTextEquals("Entrypoint"u8)) { entrypoint = Strings(ref r); }
            else if (r.ValueTextEquals("Cmd"u8)) { cmd = Strings(ref r); }
            else if (r.ValueTextEquals("Volumes"u8)) { volumes = EmptyObjects(ref r); }
            else if (r.ValueTextEquals("WorkingDir"u8)) { workingDir = String(ref r); }
            else if (r.ValueTextEquals("Labels"u8)) { labels = Map(ref r); }
            else if (r.ValueTextEquals("StopSignal"u8)) { stopSignal = String(ref r); }
            else if (r.ValueTextEquals("Healthcheck"u8)) { healthcheck = Healthcheck(ref r); }
            else { Skip(ref r); }
        }

        return new ContainerConfig
        {
            User = user,
            ExposedPorts = exposedPorts,
            Env = env,
            Entrypoint = entrypoint,
            Cmd = cmd,
            Volumes = volumes,
            WorkingDir = workingDir,
            Labels = labels,
            StopSignal = stopSignal,
            Healthcheck = healthcheck,
        };
    }

    private static HealthConfig? Healthcheck(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        List<string>? test = null;
        long interval = 0, timeout = 0, startPeriod = 0;
        int retries = 0;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("Test"u8)) { test = Strings(ref r); }
            else if (r.ValueTextEquals("Interval"u8)) { interval = Int64(ref r); }
            else if (r.ValueTextEquals("Timeout"u8)) { timeout = Int64(ref r); }
            else if (r.ValueTextEquals("StartPeriod"u8)) { startPeriod = Int64(ref r); }
            else if (r.ValueTextEquals("Retries"u8)) { retries = Int32(ref r); }
            else { Skip(ref r); }
        }

        return new HealthConfig { Test = test, Interval = interval, Timeout = timeout, StartPeriod = startPeriod, Retries = retries };
    }

    /// <summary>ExposedPorts and Volumes: a map whose values are <c>{}</c> (members inside are ignored) or null.</summary>
    private static Dictionary<string, EmptyObject>? EmptyObjects(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var map = new Dictionary<string, EmptyObject>();
        while (NextProperty(ref r))
        {
            string key = r.GetString()!;
            if (StartObject(ref r))
            {
                r.Skip();
                map[key] = new EmptyObject();
            }
            else
            {
                map[key] = null!;
            }
        }

        return map;
    }

    private static RootFs? RootFs(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        string? type = null;
        List<string>? diffIds = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("type"u8)) { type = String(ref r); }
            else if (r.ValueTextEquals("diff_ids"u8)) { diffIds = Strings(ref r); }
            else { Skip(ref r); }
        }

        return new RootFs { Type = type!, DiffIds = diffIds! };
    }

    private static HistoryEntry? History(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        DateTimeOffset? created = null;
        string? createdBy = null;
        string? author = null;
        string? comment = null;
        bool? emptyLayer = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("created"u8)) { created = NullableTimestamp(ref r); }
            else if (r.ValueTextEquals("created_by"u8)) { createdBy = String(ref r); }
            else if (r.ValueTextEquals("author"u8)) { author = String(ref r); }
            else if (r.ValueTextEquals("comment"u8)) { comment = String(ref r); }
            else if (r.ValueTextEquals("empty_layer"u8)) { emptyLayer = NullableBool(ref r); }
            else { Skip(ref r); }
        }

        return new HistoryEntry { Created = created, CreatedBy = createdBy, Author = author, Comment = comment, EmptyLayer = emptyLayer };
    }

    private static ImageManifest? Manifest(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        int schemaVersion = default;
        string? mediaType = null;
        Descriptor? config = null;
        List<Descriptor>? layers = null;
        Dictionary<string, string>? annotations = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("schemaVersion"u8)) { schemaVersion = Int32(ref r); }
            else if (r.ValueTextEquals("mediaType"u8)) { mediaType = String(ref r); }
            else if (r.ValueTextEquals("config"u8)) { r.Read(); config = Descriptor(ref r); }
            else if (r.ValueTextEquals("layers"u8)) { layers = List(ref r, Descriptor); }
            else if (r.ValueTextEquals("annotations"u8)) { annotations = Map(ref r); }
            else { Skip(ref r); }
        }

        return new ImageManifest
        {
            SchemaVersion = schemaVersion,
            MediaType = mediaType,
            Config = config!,
            Layers = layers!,
            Annotations = annotations,
        };
    }

    private static Descriptor? Descriptor(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        string? mediaType = null;
        string? digest = null;
        long size = default;
        List<string>? urls = null;
        Dictionary<string, string>? annotations = null;
        Platform? platform = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("mediaType"u8)) { mediaType = String(ref r); }
            else if (r.ValueTextEquals("digest"u8)) { digest = String(ref r); }
            else if (r.ValueTextEquals("size"u8)) { size = Int64(ref r); }
            else if (r.ValueTextEquals("urls"u8)) { urls = Strings(ref r); }
            else if (r.ValueTextEquals("annotations"u8)) { annotations = Map(ref r); }
            else if (r.ValueTextEquals("platform"u8)) { platform = Platform(ref r); }
            else { Skip(ref r); }
        }

        return new Descriptor { MediaType = mediaType!, Digest = digest!, Size = size, Urls = urls, Annotations = annotations, Platform = platform };
    }

    private static Platform? Platform(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        string? architecture = null;
        string? os = null;
        string? variant = null;
        string? osVersion = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("architecture"u8)) { architecture = String(ref r); }
            else if (r.ValueTextEquals("os"u8)) { os = String(ref r); }
            else if (r.ValueTextEquals("variant"u8)) { variant = String(ref r); }
            else if (r.ValueTextEquals("os.version"u8)) { osVersion = String(ref r); }
            else { Skip(ref r); }
        }

        return new Platform { Architecture = architecture!, Os = os!, Variant = variant, OsVersion = osVersion };
    }
}
