using System.Text.Json.Serialization;

namespace Skiff.Runtime.Secrets;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SecretRecord))]
internal sealed partial class SecretJsonContext : JsonSerializerContext;
