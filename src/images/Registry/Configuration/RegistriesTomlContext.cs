using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Skiff.Images.Registry.Configuration;

/// <summary>Source-generated (AOT-safe) TOML metadata: registries.conf is read into the untyped model and mapped by hand.</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class RegistriesTomlContext : TomlSerializerContext
{
}
