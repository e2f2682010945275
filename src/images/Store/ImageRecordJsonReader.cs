using System.Text.Json;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Images.Store;

/// <summary>
/// Reads an image record with <see cref="Utf8JsonReader"/> directly: every `run` reads the store's records to
/// resolve its image, and System.Text.Json's generated metadata costs more CPU at its first use under NativeAOT
/// than the records do to parse (see <see cref="Manifests.ManifestJsonReader"/>). Same contract as
/// <see cref="StoreJsonContext"/> (ImageJsonReaderTests compares the two); writing keeps the generated one.
/// </summary>
public static class ImageRecordJsonReader
{
    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> for anything else that is not a record.</summary>
    public static ImageRecord? Read(ReadOnlySpan<byte> json) => Document<ImageRecord>(json, Record, "image record");

    private static ImageRecord? Record(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        string? id = null;
        string? manifestDigest = null;
        string? manifestMediaType = null;
        List<string>? names = null;
        List<string>? digests = null;
        DateTimeOffset created = default;
        DateTimeOffset stored = default;
        List<string>? diffIds = null;
        long size = default;
        string? architecture = null;
        string? os = null;
        string? variant = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("id"u8)) { id = String(ref r); }
            else if (r.ValueTextEquals("manifestDigest"u8)) { manifestDigest = String(ref r); }
            else if (r.ValueTextEquals("manifestMediaType"u8)) { manifestMediaType = String(ref r); }
            else if (r.ValueTextEquals("names"u8)) { names = Strings(ref r); }
            else if (r.ValueTextEquals("digests"u8)) { digests = Strings(ref r); }
            else if (r.ValueTextEquals("created"u8)) { created = Timestamp(ref r); }
            else if (r.ValueTextEquals("stored"u8)) { stored = Timestamp(ref r); }
            else if (r.ValueTextEquals("diffIds"u8)) { diffIds = Strings(ref r); }
            else if (r.ValueTextEquals("size"u8)) { size = Int64(ref r); }
            else if (r.ValueTextEquals("architecture"u8)) { architecture = String(ref r); }
            else if (r.ValueTextEquals("os"u8)) { os = String(ref r); }
            else if (r.ValueTextEquals("variant"u8)) { variant = String(ref r); }
            else { Skip(ref r); }
        }

        return new ImageRecord
        {
            Id = id!,
            ManifestDigest = manifestDigest!,
            ManifestMediaType = manifestMediaType,
            Names = names!,
            Digests = digests!,
            Created = created,
            Stored = stored,
            DiffIds = diffIds!,
            Size = size,
            Architecture = architecture!,
            Os = os!,
            Variant = variant,
        };
    }
}
