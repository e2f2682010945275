namespace Skiff.Rootless.IdMaps;

/// <summary>One /etc/subuid or /etc/subgid entry: <see cref="Count"/> ids from <see cref="Start"/>.</summary>
public readonly record struct SubordinateRange(uint Start, uint Count);
