using System.Text.Json.Serialization;

namespace Skiff.Images.Manifests;

/// <summary>Source-generated (AOT-safe) JSON for the image spec types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
public sealed partial class ManifestJsonContext : JsonSerializerContext
{
}
