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
    /// <summary>podman's smallest --userns=auto block when no size is given (storage.conf's auto-userns-min-size).</summary>
    public const uint AutoMinSize = 1024;

    /// <summary>podman's largest block an image may ask for when no size is given (auto-userns-max-size).</summary>
    public const uint AutoMaxSize = 65536;

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

    /// <summary>
    /// podman's size when none is given: at least <see cref="AutoMinSize"/>, more when the image's accounts use
    /// higher ids, refused above <see cref="AutoMaxSize"/>.
    /// </summary>
    public static uint AutoSize(uint imageIds)
    {
        if (imageIds > AutoMaxSize)
        {
            throw SkiffException.InvalidArgument(
                $"the image needs a user namespace of {imageIds} ids, more than --userns=auto gives without a size ({AutoMaxSize})",
                "give the size: --userns=auto:size=N");
        }

        return Math.Max(AutoMinSize, imageIds);
    }

    private UserNamespacePlan Auto(UserNamespaceMode mode)
    {
        uint size = mode.Size ?? AutoSize(context.ImageIds);
        uint uidStart = Allocate(context.AutoUids, context.UsedUids, size, "/etc/subuid");
        uint gidStart = Allocate(context.AutoGids, context.UsedGids, size, "/etc/subgid");
        return new UserNamespacePlan(mode, new IdMap([new IdMapping(0, uidStart, size)], [new IdMapping(0, gidStart, size)]));
    }

    private uint Allocate(IReadOnlyList<SubordinateRange> available, IReadOnlyList<(uint, uint)> used, uint size, string file)
    {
        if (available.Count == 0)
        {
            throw context.Rootless
                ? SkiffException.PrerequisiteMissing(
                    $"your user has no subordinate ids in {file}: rootless --userns=auto takes its ids from there",
                    "ask an administrator to give your user a range in /etc/subuid and /etc/subgid (usermod --add-subuids, --add-subgids), then run skiff system migrate")
                : SkiffException.PrerequisiteMissing(
                    $"no subordinate ids for user \"containers\" in {file}: --userns=auto takes its ranges from there",
                    $"as root add a line such as containers:2147483647:2147483648 to {file} (and the other of /etc/subuid, /etc/subgid)");
        }

        if (AutoRangeAllocator.TryAllocate(available, used, size) is uint start)
        {
            return start;
        }

        throw context.Rootless
            ? SkiffException.Unavailable(
                $"could not find enough available IDs: no free block of {size} ids is left in your {available.Sum(r => (long)r.Count)} subordinate ids ({file})",
                "remove containers that use --userns=auto, keep-id, nomap or --uidmap (their ids are taken), ask for less with --userns=auto:size=N, or get a larger range in /etc/subuid and /etc/subgid (then skiff system migrate)")
            : SkiffException.Unavailable(
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
