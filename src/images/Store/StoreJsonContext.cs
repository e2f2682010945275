using System.Text.Json.Serialization;

namespace Skiff.Images.Store;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageRecord))]
public sealed partial class StoreJsonContext : JsonSerializerContext
{
}
