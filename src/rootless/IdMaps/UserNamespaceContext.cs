namespace Skiff.Rootless.IdMaps;

/// <summary>
/// What a container's map is computed from: who runs skiff and, rootless, how many ids skiff's own user
/// namespace has (<see cref="UidCount"/>: the user plus the subordinate ids); for --userns=auto the pool
/// (as root the <c>containers</c> ranges, rootless the subordinate ids of skiff's namespace, 1..N), the
/// ids other containers' maps already use, and how many ids the image needs.
/// </summary>
public sealed record UserNamespaceContext(bool Rootless, uint Uid, uint Gid)
{
    public uint UidCount { get; init; } = 1;

    public uint GidCount { get; init; } = 1;

    public IReadOnlyList<SubordinateRange> AutoUids { get; init; } = [];

    public IReadOnlyList<SubordinateRange> AutoGids { get; init; } = [];

    public IReadOnlyList<(uint Start, uint Size)> UsedUids { get; init; } = [];

    public IReadOnlyList<(uint Start, uint Size)> UsedGids { get; init; } = [];

    /// <summary>The ids the image's accounts use (the highest uid or gid in its /etc/passwd, plus one); 0 when unknown.</summary>
    public uint ImageIds { get; init; }
}
