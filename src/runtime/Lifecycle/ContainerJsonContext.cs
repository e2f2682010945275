using System.Text.Json.Serialization;

namespace Skiff.Runtime.Lifecycle;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerConfig))]
[JsonSerializable(typeof(ContainerState))]
public sealed partial class ContainerJsonContext : JsonSerializerContext;
