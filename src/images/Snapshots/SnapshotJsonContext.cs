using System.Text.Json.Serialization;

namespace Skiff.Images.Snapshots;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ImageMountRecord))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext
{
}
