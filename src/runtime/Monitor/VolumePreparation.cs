using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Volumes;

namespace Skiff.Runtime.Monitor;

/// <summary>What the container's volumes need once its root is mounted and before its process runs.</summary>
internal sealed class VolumePreparation(VolumeStore? volumes, IVolumePopulator? populator)
{
    /// <summary>
    /// docker's and podman's copy-up: a volume's first container fills it with what the image has at the
    /// mount point, if the volume is still empty. Done here because only now is the root mounted.
    /// Before that, as podman's NeedsChown, the new volume's directory is given to the container's user (through
    /// the container's map): otherwise a container with a user namespace of its own (--userns=auto, --uidmap)
    /// sees it owned by the overflow id and cannot write to it. The image's directory at the mount point, when
    /// there is one, gives its owner instead (the copy-up applies it).
    /// </summary>
    public void CopyUp(ContainerConfig config, string rootfs, ContainerUser user)
    {
        if (volumes is null || populator is null)
        {
            return;
        }

        foreach (ContainerMount mount in config.Mounts)
        {
            if (mount.Type != "volume" || mount.Name is null || volumes.TryGet(mount.Name) is not { NeedsCopyUp: true })
            {
                continue;
            }

            string data = volumes.DataPath(mount.Name);
            // An idmapped volume is seen through the container's map already: its owner stays the container's own ids.
            IdMap? map = IdmappedVolumes.Requested(mount) ? null : config.IdMappings;
            uint? uid = map is null ? user.Uid : map.HostUid(user.Uid);
            uint? gid = map is null ? user.Gid : map.HostGid(user.Gid);
            if (uid is not null && gid is not null)
            {
                VolumeOwnership.Change(data, uid.Value, gid.Value);
            }

            if (!Directory.EnumerateFileSystemEntries(data).Any() && !mount.Options.Contains("nocopy"))
            {
                populator.Populate(rootfs, mount.Destination, data);
            }

            volumes.MarkCopiedUp(mount.Name);
        }
    }

    /// <summary>podman's :U: volumes and binds marked with it belong to the container's user (its ids outside the container's map).</summary>
    public static void Chown(ContainerConfig config, ContainerUser user)
    {
        foreach (ContainerMount mount in config.Mounts)
        {
            if (mount.Type is "bind" or "volume" && mount.Options.Contains("U"))
            {
                uint uid = config.IdMappings is { } map ? map.HostUid(user.Uid) ?? throw Unmapped("uid", user.Uid) : user.Uid;
                uint gid = config.IdMappings is { } maps ? maps.HostGid(user.Gid) ?? throw Unmapped("gid", user.Gid) : user.Gid;
                VolumeOwnership.Chown(mount.Source, uid, gid);
            }
        }

        static SkiffException Unmapped(string kind, uint value) =>
            SkiffException.InvalidArgument($"cannot chown a :U volume to {kind} {value}: the container's user namespace does not map it", "run as a user the --uidmap/--gidmap covers");
    }
}
