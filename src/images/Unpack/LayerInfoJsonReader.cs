using System.Text.Json;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Images.Unpack;

/// <summary>
/// Reads a layer's layer.json with <see cref="Utf8JsonReader"/> directly: every `run` reads one per layer of its
/// image, and System.Text.Json's generated metadata costs more CPU at its first use under NativeAOT than the
/// files do to parse (see <see cref="Manifests.ManifestJsonReader"/>). Same contract as
/// <see cref="LayerJsonContext"/>, camelCase names (ImageJsonReaderTests compares the two); writing keeps
/// the generated one.
/// </summary>
public static class LayerInfoJsonReader
{
    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> for anything else that is not layer information.</summary>
    public static LayerInfo? Read(ReadOnlySpan<byte> json) => Document<LayerInfo>(json, Layer, "layer information");

    private static LayerInfo? Layer(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        string? chainId = null;
        string? diffId = null;
        string? parent = null;
        long size = default;
        long tarSize = default;
        string? whiteoutStyle = null;
        List<string>? whiteouts = null;
        List<string>? opaqueDirectories = null;
        List<string>? warnings = null;
        DateTimeOffset created = default;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("chainId"u8)) { chainId = String(ref r); }
            else if (r.ValueTextEquals("diffId"u8)) { diffId = String(ref r); }
            else if (r.ValueTextEquals("parent"u8)) { parent = String(ref r); }
            else if (r.ValueTextEquals("size"u8)) { size = Int64(ref r); }
            else if (r.ValueTextEquals("tarSize"u8)) { tarSize = Int64(ref r); }
            else if (r.ValueTextEquals("whiteoutStyle"u8)) { whiteoutStyle = String(ref r); }
            else if (r.ValueTextEquals("whiteouts"u8)) { whiteouts = Strings(ref r); }
            else if (r.ValueTextEquals("opaqueDirectories"u8)) { opaqueDirectories = Strings(ref r); }
            else if (r.ValueTextEquals("warnings"u8)) { warnings = Strings(ref r); }
            else if (r.ValueTextEquals("created"u8)) { created = Timestamp(ref r); }
            else { Skip(ref r); }
        }

        return new LayerInfo
        {
            ChainId = chainId!,
            DiffId = diffId!,
            Parent = parent,
            Size = size,
            TarSize = tarSize,
            WhiteoutStyle = whiteoutStyle!,
            Whiteouts = whiteouts!,
            OpaqueDirectories = opaqueDirectories!,
            Warnings = warnings!,
            Created = created,
        };
    }
}
