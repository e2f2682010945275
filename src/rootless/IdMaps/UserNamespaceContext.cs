namespace Skiff.Rootless.IdMaps;

/// <summary>
/// What a container's map is computed from: who runs skiff and, rootless, how many ids skiff's own user
/// namespace has (<see cref="UidCount"/>: the user plus the subordinate ids); as root, the
/// <c>containers</c> ranges for --userns=auto and the host ids other containers already use.
/// </summary>
public sealed record UserNamespaceContext(bool Rootless, uint Uid, uint Gid)
{
    public uint UidCount { get; init; } = 1;

    public uint GidCount { get; init; } = 1;

    public IReadOnlyList<SubordinateRange> AutoUids { get; init; } = [];

    public IReadOnlyList<SubordinateRange> AutoGids { get; init; } = [];

    public IReadOnlyList<(uint Start, uint Size)> UsedUids { get; init; } = [];

    public IReadOnlyList<(uint Start, uint Size)> UsedGids { get; init; } = [];
}
