using Skiff.Core.Errors;
using Skiff.Core.IdMaps;

namespace Skiff.Rootless.IdMaps;

/// <summary>
/// Builds the user namespace map podman uses for a rootless user: container 0 is the user,
/// container 1.. are the subordinate ranges in order (uid 1000 inside is start+999 on the host).
/// </summary>
public static class RootlessIdMapBuilder
{
    public static IdMap Build(uint uid, uint gid, IReadOnlyList<SubordinateRange> subUids, IReadOnlyList<SubordinateRange> subGids, string userName)
    {
        if (subUids.Count == 0 || subGids.Count == 0)
        {
            string file = subUids.Count == 0 ? "/etc/subuid" : "/etc/subgid";
            throw SkiffException.PrerequisiteMissing(
                $"user {userName} has no subordinate id range in {file}",
                $"as root run: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {userName}");
        }

        return new IdMap(Chain(uid, subUids), Chain(gid, subGids));
    }

    private static IReadOnlyList<IdMapping> Chain(uint own, IReadOnlyList<SubordinateRange> ranges)
    {
        var mappings = new List<IdMapping> { new(0, own, 1) };
        uint next = 1;
        foreach (SubordinateRange range in ranges)
        {
            mappings.Add(new IdMapping(next, range.Start, range.Count));
            next += range.Count;
        }

        return mappings;
    }
}
