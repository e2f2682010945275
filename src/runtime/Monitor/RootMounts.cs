using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Namespaces;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The mounts the monitor makes in its own mount namespace before the built-in runtime's init is spawned
/// (its mount namespace is a copy of the monitor's, taken then): the container's root from the image's layers,
/// and the idmapped volumes' sources. A root the user mounted (<c>skiff mount</c>, <see cref="ContainerMounts"/>) is used as it is.
/// </summary>
internal static class RootMounts
{
    public static void Attach(ContainerStore store, ContainerConfig config, string rootfs, string runDirectory)
    {
        if (config.RootfsMounts.Count > 0)
        {
            var mounter = new RootfsMounter(new LinuxMountSyscalls());
            if (config.IdMappings is { } idMap && !config.RootfsOwnersShifted)
            {
                // The image's files keep the ids they were unpacked with; the container sees them through its own map.
                using SafeFileHandle userNamespace = new UserNamespaceFactory(new ProcIdMapWriter(), Environment.ProcessPath!).CreateAsync(idMap).GetAwaiter().GetResult();
                new IdmappedRootfs(mounter).Mount(config.RootfsMounts, rootfs, Path.Combine(runDirectory, "idmap"), idMap, userNamespace);
            }
            else if (new ContainerMounts(store).Count(config.Id) == 0)
            {
                mounter.Mount(config.RootfsMounts, rootfs, @volatile: config.AutoRemove);
            }
        }

        if (config.IdMappings is { } volumeMap && config.Mounts.Any(IdmappedVolumes.Requested))
        {
            using SafeFileHandle volumeNamespace = new UserNamespaceFactory(new ProcIdMapWriter(), Environment.ProcessPath!).CreateAsync(volumeMap).GetAwaiter().GetResult();
            IdmappedVolumes.Attach(config, store, volumeNamespace);
        }
    }
}
