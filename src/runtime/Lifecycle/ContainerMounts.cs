using System.Globalization;
using Skiff.Runtime.Mounts;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// The user's mounts of containers' roots (<c>skiff mount</c>/<c>unmount</c>), counted in each container's directory. A
/// container's root has one mount point, shared with its monitor: a mount of a running container only counts (the
/// monitor's mount is there), a monitor finds the user's mount there and uses it, and the root is unmounted when the last
/// of the two lets go (an unmount while the container runs leaves it to the monitor; a container that stops while mounted
/// keeps the user's mount). Callers hold the container's lock (the monitor holds it while it mounts and unmounts).
/// </summary>
public sealed class ContainerMounts(ContainerStore store)
{
    private const string CountFile = "mounts";

    /// <summary>The user's mounts of the root: 0 when none, or when the root is not mounted any more (a reboot).</summary>
    public int Count(string id)
    {
        string path = Path.Combine(store.Directory(id), CountFile);
        if (!File.Exists(path))
        {
            return 0;
        }

        return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0
            && MountTable.IsMountPoint(store.RootfsMountPoint(id)) ? count : 0;
    }

    /// <summary>Mounts the root of the container (unless its monitor or the user has it mounted) and counts one more user mount.</summary>
    /// <param name="mountedByMonitor">The container runs (or is initialized): its monitor's mount is there.</param>
    /// <returns>The path of the root.</returns>
    public string Mount(ContainerConfig config, bool mountedByMonitor)
    {
        if (config.RootfsPath is not null)
        {
            // --rootfs: the directory is the root; nothing to mount or count.
            return config.RootfsPath;
        }

        string target = store.RootfsMountPoint(config.Id);
        int count = Count(config.Id);
        if (count == 0 && !(mountedByMonitor && MountTable.IsMountPoint(target)))
        {
            new RootfsMounter(new LinuxMountSyscalls()).Mount(config.RootfsMounts, target);
        }

        Write(config.Id, count + 1);
        return target;
    }

    /// <summary>Counts one user mount less (all with <paramref name="force"/>) and unmounts the root when nothing holds it any more.</summary>
    /// <returns>False when the user had not mounted it.</returns>
    public bool Unmount(ContainerConfig config, bool force, bool mountedByMonitor)
    {
        int count = Count(config.Id);
        if (count == 0)
        {
            return false;
        }

        int left = force ? 0 : count - 1;
        Write(config.Id, left);
        if (left == 0 && !mountedByMonitor)
        {
            // Two mounts when a monitor put an idmapped root over the user's (RootMounts) and left it at the container's end.
            for (int i = 0; i < 4 && RootfsMounter.TryUnmount(store.RootfsMountPoint(config.Id)); i++)
            {
            }
        }

        return true;
    }

    private void Write(string id, int count)
    {
        string path = Path.Combine(store.Directory(id), CountFile);
        if (count == 0)
        {
            File.Delete(path);
            return;
        }

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, count.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, path, overwrite: true);
    }
}
