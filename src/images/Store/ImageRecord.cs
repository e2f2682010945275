using System.Text.Json.Serialization;

namespace Skiff.Images.Store;

/// <summary>One image in the local store. The id is the digest of its configuration, as docker's is.</summary>
public sealed record ImageRecord
{
    /// <summary><c>sha256:…</c> of the image configuration blob.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("manifestDigest")]
    public string ManifestDigest { get; init; } = string.Empty;

    [JsonPropertyName("manifestMediaType")]
    public string? ManifestMediaType { get; init; }

    /// <summary>Fully qualified <c>registry/repository:tag</c> names.</summary>
    [JsonPropertyName("names")]
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary><c>registry/repository@sha256:…</c> of the manifest in each repository it came from.</summary>
    [JsonPropertyName("digests")]
    public IReadOnlyList<string> Digests { get; init; } = [];

    /// <summary>The image's own creation time (from its configuration).</summary>
    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    /// <summary>When this store got the image.</summary>
    [JsonPropertyName("stored")]
    public DateTimeOffset Stored { get; init; }

    /// <summary>Uncompressed layer digests (diff ids), base first.</summary>
    [JsonPropertyName("diffIds")]
    public IReadOnlyList<string> DiffIds { get; init; } = [];

    /// <summary>Unpacked size in bytes (docker's SIZE column).</summary>
    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = string.Empty;

    [JsonPropertyName("os")]
    public string Os { get; init; } = string.Empty;

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }
}
