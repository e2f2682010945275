namespace Skiff.Core.IdMaps;

/// <summary>The uid and gid maps of a user namespace.</summary>
public sealed record IdMap(IReadOnlyList<IdMapping> Uids, IReadOnlyList<IdMapping> Gids)
{
    /// <summary>Translates a container uid to the host uid, or null when it is not mapped.</summary>
    public uint? HostUid(uint containerUid) => Translate(Uids, containerUid);

    public uint? HostGid(uint containerGid) => Translate(Gids, containerGid);

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
