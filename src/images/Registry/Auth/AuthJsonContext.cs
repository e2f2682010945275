using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Skiff.Images.Registry.Auth;

/// <summary>Source-generated metadata so writing auth files needs no reflection (AOT).</summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class AuthJsonContext : JsonSerializerContext
{
}
