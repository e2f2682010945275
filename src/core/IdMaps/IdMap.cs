namespace Skiff.Core.IdMaps;

/// <summary>The uid and gid maps of a user namespace.</summary>
public sealed record IdMap(IReadOnlyList<IdMapping> Uids, IReadOnlyList<IdMapping> Gids)
{
    /// <summary>Translates a container uid to the host uid, or null when it is not mapped.</summary>
    public uint? HostUid(uint containerUid) => Translate(Uids, containerUid);

    public uint? HostGid(uint containerGid) => Translate(Gids, containerGid);

    /// <summary>The container uid a host uid appears as, or null when the map does not cover it.</summary>
    public uint? ContainerUid(uint hostUid) => Reverse(Uids, hostUid);

    public uint? ContainerGid(uint hostGid) => Reverse(Gids, hostGid);

    private static uint? Reverse(IReadOnlyList<IdMapping> maps, uint id)
    {
        foreach (IdMapping m in maps)
        {
            if (id >= m.HostId && id - m.HostId < m.Size)
            {
                return m.ContainerId + (id - m.HostId);
            }
        }

        return null;
    }

    private static uint? Translate(IReadOnlyList<IdMapping> maps, uint id)
    {
        foreach (IdMapping m in maps)
        {
            if (id >= m.ContainerId && id - m.ContainerId < m.Size)
            {
                return m.HostId + (id - m.ContainerId);
            }
        }

        return null;
    }
}
