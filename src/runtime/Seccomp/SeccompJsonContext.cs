using System.Text.Json.Serialization;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Seccomp;

/// <summary>Source-generated (AOT-safe) JSON for seccomp profiles and the resolved OCI section.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SeccompProfile))]
[JsonSerializable(typeof(SeccompSpec))]
public sealed partial class SeccompJsonContext : JsonSerializerContext;
