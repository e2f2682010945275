using Skiff.Core.Errors;
using Skiff.Core.IdMaps;

namespace Skiff.Rootless.IdMaps;

/// <summary>
/// Computes a container's user namespace map from --userns, --uidmap and --gidmap, as podman does.
/// Rootless, every host id is an id of skiff's own user namespace (0 = the user, 1..N = the
/// subordinate ids in order), because that is where the OCI runtime runs and writes the maps.
/// </summary>
public sealed class ContainerIdMapPlanner(UserNamespaceContext context)
{
    /// <summary>podman's default size for --userns=auto when the image does not say otherwise.</summary>
    public const uint DefaultAutoSize = 65536;

    public UserNamespacePlan Plan(UserNamespaceMode mode, IReadOnlyList<IdMapping> uidMaps, IReadOnlyList<IdMapping> gidMaps)
    {
        if (uidMaps.Count > 0 || gidMaps.Count > 0)
        {
            if (mode.Kind != UserNamespaceKind.Default)
            {
                throw SkiffException.InvalidArgument(
                    $"--userns={mode} cannot be combined with --uidmap or --gidmap",
                    "give either --userns or --uidmap/--gidmap");
            }

            // As podman: one of the two flags alone is used for both uids and gids.
            IdMap map = new(uidMaps.Count > 0 ? uidMaps : gidMaps, gidMaps.Count > 0 ? gidMaps : uidMaps);
            if (context.Rootless)
            {
                CheckInside("--uidmap", map.Uids, context.UidCount);
                CheckInside("--gidmap", map.Gids, context.GidCount);
            }

            return new UserNamespacePlan(new UserNamespaceMode(UserNamespaceKind.Private), map);
        }

        switch (mode.Kind)
        {
            case UserNamespaceKind.KeepId or UserNamespaceKind.NoMap when !context.Rootless:
                string name = mode.Kind == UserNamespaceKind.KeepId ? "keep-id" : "nomap";
                throw SkiffException.InvalidArgument(
                    $"--userns={name} is only supported in rootless mode",
                    "as root, use --userns=auto or --uidmap/--gidmap for a user namespace of its own");
            case UserNamespaceKind.KeepId:
                uint uid = mode.Uid ?? context.Uid;
                uint gid = mode.Gid ?? context.Gid;
                return new UserNamespacePlan(mode, new IdMap(KeepId(uid, context.UidCount), KeepId(gid, context.GidCount)), uid, gid);
            case UserNamespaceKind.NoMap:
                return new UserNamespacePlan(mode, new IdMap([new IdMapping(0, 1, context.UidCount - 1)], [new IdMapping(0, 1, context.GidCount - 1)]));
            case UserNamespaceKind.Auto when context.Rootless:
                throw SkiffException.InvalidArgument(
                    "--userns=auto is only supported as root",
                    "rootless, use --userns=keep-id, nomap or --uidmap inside your own subordinate range");
            case UserNamespaceKind.Auto:
                return Auto(mode);
            default:
                return new UserNamespacePlan(mode, null);
        }
    }

    /// <summary>
    /// podman's keep-id: container ids below <paramref name="target"/> are the first subordinate ids,
    /// <paramref name="target"/> is the user (id 0 of skiff's namespace), and the rest map one to one.
    /// <paramref name="total"/> counts skiff's namespace's ids: the user plus the subordinate ones.
    /// </summary>
    public static IReadOnlyList<IdMapping> KeepId(uint target, uint total)
    {
        uint subordinate = total - 1;
        var map = new List<IdMapping>();
        if (target > 0 && subordinate > 0)
        {
            map.Add(new IdMapping(0, 1, Math.Min(target, subordinate)));
        }

        map.Add(new IdMapping(target, 0, 1));
        if (target < subordinate)
        {
            map.Add(new IdMapping(target + 1, target + 1, subordinate - target));
        }

        return map;
    }

    private UserNamespacePlan Auto(UserNamespaceMode mode)
    {
        uint size = mode.Size ?? DefaultAutoSize;
        uint uidStart = Allocate(context.AutoUids, context.UsedUids, size, "/etc/subuid");
        uint gidStart = Allocate(context.AutoGids, context.UsedGids, size, "/etc/subgid");
        return new UserNamespacePlan(mode, new IdMap([new IdMapping(0, uidStart, size)], [new IdMapping(0, gidStart, size)]));
    }

    private static uint Allocate(IReadOnlyList<SubordinateRange> available, IReadOnlyList<(uint, uint)> used, uint size, string file)
    {
        if (available.Count == 0)
        {
            throw SkiffException.PrerequisiteMissing(
                $"no subordinate ids for user \"containers\" in {file}: --userns=auto takes its ranges from there",
                $"as root add a line such as containers:2147483647:2147483648 to {file} (and the other of /etc/subuid, /etc/subgid)");
        }

        return AutoRangeAllocator.TryAllocate(available, used, size)
            ?? throw SkiffException.Unavailable(
                $"no free block of {size} ids is left in the \"containers\" range of {file}",
                "remove containers that use --userns=auto, ask for less with --userns=auto:size=N, or enlarge the range");
    }

    private static void CheckInside(string flag, IReadOnlyList<IdMapping> mappings, uint count)
    {
        foreach (IdMapping m in mappings)
        {
            if ((ulong)m.HostId + m.Size > count)
            {
                throw SkiffException.InvalidArgument(
                    $"{flag} {m.ContainerId}:{m.HostId}:{m.Size} maps ids that skiff's user namespace does not have (0-{count - 1})",
                    "rootless, the host side counts in skiff's user namespace: 0 is your own id, 1 and up your subordinate ids (see skiff unshare cat /proc/self/uid_map)");
            }
        }
    }
}
