namespace Skiff.Images.Registry.Configuration;

/// <summary>A <c>[[registry.mirror]]</c> entry: a host[/path] tried before the registry's own location when pulling.</summary>
public sealed record RegistryMirror(string Location, bool Insecure);
