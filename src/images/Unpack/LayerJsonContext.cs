using System.Text.Json.Serialization;

namespace Skiff.Images.Unpack;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(LayerInfo))]
public sealed partial class LayerJsonContext : JsonSerializerContext
{
}
