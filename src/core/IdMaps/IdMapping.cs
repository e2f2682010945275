namespace Skiff.Core.IdMaps;

/// <summary>One line of a uid_map/gid_map: <see cref="Size"/> ids starting at <see cref="ContainerId"/> map to <see cref="HostId"/>.</summary>
public readonly record struct IdMapping(uint ContainerId, uint HostId, uint Size)
{
    public override string ToString() => $"{ContainerId} {HostId} {Size}";
}
