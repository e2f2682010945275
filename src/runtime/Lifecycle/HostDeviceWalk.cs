namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// The host's device nodes a --privileged container gets, found as podman 4.3 finds them (its getDevices walk of
/// /dev): every character and block device under the directory, at the same path in the container, leaving out
/// symbolic links, /dev/console (the container's is its own terminal) and the directories that are per-container
/// mounts or runtime state (pts, shm, fd, mqueue, and LXD's .lxc and .lxd-mounts). Only walked for --privileged.
/// </summary>
public static class HostDeviceWalk
{
    private static readonly string[] SkippedDirectories = ["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts"];

    /// <summary>The nodes under <paramref name="directory"/> (the host's /dev), each at the same place under the container's /dev.</summary>
    public static IReadOnlyList<ContainerDevice> Under(string directory)
    {
        var devices = new List<ContainerDevice>();
        string root = directory.TrimEnd('/');
        Walk(root, root, devices);
        return devices;
    }

    private static void Walk(string root, string directory, List<ContainerDevice> devices)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = [.. new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true })
                .OrderBy(e => e.Name, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A directory that went away (hot-unplug) or that this user may not list has nothing to give.
            return;
        }

        foreach (FileSystemInfo entry in entries)
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            if (entry is DirectoryInfo)
            {
                if (!SkippedDirectories.Contains(entry.Name, StringComparer.Ordinal))
                {
                    Walk(root, entry.FullName, devices);
                }

                continue;
            }

            if (entry.Name == "console" || TryStat(entry.FullName) is not { } node || !(node.IsCharDevice || node.IsBlockDevice))
            {
                continue;
            }

            devices.Add(new ContainerDevice(entry.FullName, "/dev" + entry.FullName[root.Length..], "rwm", node.IsCharDevice ? "c" : "b", node.Major, node.Minor, node.Permissions, node.Uid, node.Gid));
        }
    }

    private static HostNode? TryStat(string path)
    {
        try
        {
            return HostNode.Stat(path);
        }
        catch (Core.Errors.SystemCallException)
        {
            return null;
        }
    }
}
