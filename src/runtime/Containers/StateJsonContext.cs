using System.Text.Json.Serialization;

namespace Skiff.Runtime.Containers;

/// <summary>Source-generated JSON for the runtime's state files and `state` output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(OciState))]
public sealed partial class StateJsonContext : JsonSerializerContext;
