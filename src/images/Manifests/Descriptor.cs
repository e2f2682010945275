using System.Text.Json.Serialization;
using Skiff.Core.Digests;

namespace Skiff.Images.Manifests;

/// <summary>An OCI content descriptor. <see cref="Digest"/> is untrusted text until <see cref="ParsedDigest"/> validates it.</summary>
public sealed record Descriptor
{
    [JsonPropertyName("mediaType")]
    public string MediaType { get; init; } = string.Empty;

    [JsonPropertyName("digest")]
    public string Digest { get; init; } = string.Empty;

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("urls")]
    public IReadOnlyList<string>? Urls { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("platform")]
    public Platform? Platform { get; init; }

    /// <summary>The validated digest; throws an invalid-argument error for malformed text such as <c>sha256:../../x</c>.</summary>
    [JsonIgnore]
    public Digest ParsedDigest => Core.Digests.Digest.Parse(Digest);
}
