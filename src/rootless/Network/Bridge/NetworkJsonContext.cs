using System.Text.Json.Serialization;

namespace Skiff.Rootless.Network.Bridge;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(NetworkRecord))]
[JsonSerializable(typeof(List<NetworkEndpointEntry>))]
internal sealed partial class NetworkJsonContext : JsonSerializerContext;
