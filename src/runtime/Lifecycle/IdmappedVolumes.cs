using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Mounts;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's <c>-v SRC:DST:idmap</c> for a root container with its own user namespace: the source appears
/// inside with the owners it has on disk (host root's files belong to the container's root) and what the
/// container writes lands with those owners, without chowning anything. The monitor attaches an idmapped
/// clone of each source (mount_setattr MOUNT_ATTR_IDMAP with the container's map) at a staging path in the
/// container's run directory before the runtime starts, and the bundle binds that staging path, so any
/// OCI runtime gets the idmapped mount. Needs a filesystem that supports idmapped mounts (ext4, xfs,
/// btrfs, tmpfs since 6.3; not overlayfs itself).
/// </summary>
public static class IdmappedVolumes
{
    public const string Option = "idmap";

    public static bool Requested(ContainerMount mount) => mount.Type is "bind" or "volume" && mount.Options.Contains(Option);

    public static string StagingPath(ContainerStore store, string id, int index) =>
        Path.Combine(store.RunDirectory(id), "idmap-mounts", index.ToString(CultureInfo.InvariantCulture));

    /// <summary>What podman refuses, and what an unprivileged user cannot do with host filesystems.</summary>
    public static void Validate(ContainerConfig config, bool rootless)
    {
        if (!config.Mounts.Any(Requested))
        {
            return;
        }

        if (rootless)
        {
            throw new SkiffException(
                ErrorKind.PrerequisiteMissing,
                "idmapped mounts (the :idmap volume option) need root: an unprivileged user cannot idmap a host filesystem",
                "use :U to chown the source to the container's user, or --userns=keep-id to keep your own files' owner");
        }

        if (config.IdMappings is null)
        {
            throw SkiffException.InvalidArgument(
                "the :idmap volume option needs a container with its own user namespace",
                "add --userns=auto or --uidmap/--gidmap, or drop :idmap");
        }
    }

    /// <summary>Attaches the idmapped clones (replacing any that a killed monitor left at the staging paths).</summary>
    public static void Attach(ContainerConfig config, ContainerStore store, SafeFileHandle userNamespace)
    {
        for (int i = 0; i < config.Mounts.Count; i++)
        {
            if (Requested(config.Mounts[i]))
            {
                string staging = StagingPath(store, config.Id, i);
                RootfsMounter.TryUnmount(staging);
                IdmappedMounts.Attach(config.Mounts[i].Source, staging, userNamespace);
            }
        }
    }

    public static void Detach(ContainerConfig config, ContainerStore store)
    {
        for (int i = 0; i < config.Mounts.Count; i++)
        {
            if (Requested(config.Mounts[i]))
            {
                RootfsMounter.TryUnmount(StagingPath(store, config.Id, i));
            }
        }
    }
}
