using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>Source-generated (AOT-safe) JSON for config.json.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(ProcessSpec))]
public sealed partial class SpecJsonContext : JsonSerializerContext;
