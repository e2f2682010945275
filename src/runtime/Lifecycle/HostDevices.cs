using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Resolves --device requests against the host, as podman: symlinks followed, a directory gives every device node
/// under it (at the same place under the container path), anything else must be a character or block device.
/// Rootless, the container gets the host's node through a bind mount and opens it with the user's own rights,
/// so a node the user cannot open with the permissions asked is refused here rather than given useless.
/// </summary>
/// <param name="rootless">Whether an unprivileged user runs the container.</param>
/// <param name="keepsGroups">Whether the container keeps the user's supplementary groups (--group-add keep-groups).</param>
public sealed class HostDevices(bool rootless, bool keepsGroups)
{
    private const string Hint = "give the path of a character or block device on the host, e.g. --device /dev/fuse";

    public IReadOnlyList<ContainerDevice> Resolve(IEnumerable<string> requests)
    {
        var devices = new List<ContainerDevice>();
        foreach (string text in requests)
        {
            DeviceRequest request = DeviceRequest.Parse(text);
            string source = ResolveLinks(request.Source);
            HostNode node = Stat(source, text);
            if (!node.IsDirectory)
            {
                devices.Add(Device(source, node, request.Destination == request.Source ? source : request.Destination, request.Permissions, text));
                continue;
            }

            int before = devices.Count;
            foreach (string path in Directory.EnumerateFileSystemEntries(source, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }).Order(StringComparer.Ordinal))
            {
                // As podman's walk: symbolic links (such as /dev/disk/by-id's, dangling or not) are not devices.
                if (new FileInfo(path).LinkTarget is not null || TryStat(path) is not { } entry)
                {
                    continue;
                }

                if (entry.IsCharDevice || entry.IsBlockDevice)
                {
                    string destination = request.Destination.TrimEnd('/') + path[source.TrimEnd('/').Length..];
                    devices.Add(Device(path, entry, destination, request.Permissions, text));
                }
            }

            if (devices.Count == before)
            {
                throw SkiffException.InvalidArgument($"no devices found in {request.Source}", Hint);
            }
        }

        return devices;
    }

    private ContainerDevice Device(string path, HostNode node, string destination, string permissions, string text)
    {
        if (!node.IsCharDevice && !node.IsBlockDevice)
        {
            throw SkiffException.InvalidArgument($"{path} is not a valid device: not a device node", Hint);
        }

        if (rootless)
        {
            CheckAccess(path, node, permissions.Contains('w'));
        }

        return new ContainerDevice(path, destination, permissions, node.IsCharDevice ? "c" : "b", node.Major, node.Minor, node.Permissions, node.Uid, node.Gid);
    }

    /// <summary>
    /// The rights the container will have on the node are the user's: the owner's bits when the user owns it, the
    /// other bits, or the group bits only if the container keeps the user's groups (podman documents the same).
    /// </summary>
    private void CheckAccess(string path, HostNode node, bool write)
    {
        // Owner and group ids are left out: rootless skiff runs in its user namespace, where root's are the overflow id.
        string mode = $"mode {Convert.ToString(node.Permissions & 0x1ff, 8).PadLeft(4, '0')}";
        string wanted = write ? "read and write" : "read";
        if (!HostNode.CanOpen(path, write))
        {
            throw new SkiffException(
                ErrorKind.PermissionDenied,
                $"cannot add device {path}: your user may not {wanted} it ({mode}), so a rootless container could not either",
                "give your user access to the device (e.g. a udev rule or its group), ask for less with :r, or run as root");
        }

        uint need = write ? 6u : 4u;
        bool byOwner = node.Uid == HostNode.EffectiveUid && ((node.Permissions >> 6) & need) == need;
        bool byOthers = (node.Permissions & need) == need;
        if (!byOwner && !byOthers && !keepsGroups)
        {
            throw new SkiffException(
                ErrorKind.PermissionDenied,
                $"cannot add device {path}: your user may {wanted} it only through its group ({mode}), which the container does not keep",
                "add --group-add keep-groups so the container keeps your supplementary groups");
        }
    }

    private static string ResolveLinks(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static HostNode? TryStat(string path)
    {
        try
        {
            return HostNode.Stat(path);
        }
        catch (SystemCallException)
        {
            return null;
        }
    }

    private static HostNode Stat(string path, string text)
    {
        try
        {
            return HostNode.Stat(path);
        }
        catch (SystemCallException e)
        {
            throw SkiffException.InvalidArgument($"cannot add device {path}: {Errnos.Describe(e.Errno)}", Hint);
        }
    }
}
