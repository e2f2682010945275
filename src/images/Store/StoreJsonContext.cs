using System.Text.Json.Serialization;

namespace Skiff.Images.Store;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageRecord))]
internal sealed partial class StoreJsonContext : JsonSerializerContext
{
}
