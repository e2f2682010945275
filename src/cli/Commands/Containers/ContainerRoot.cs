using System.Text;
using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Process;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// An open handle on a container's root directory for cp and export, to resolve every path against with
/// <c>openat2(RESOLVE_IN_ROOT)</c>. A running container's root is <c>/proc/PID/root</c> (its view, volumes
/// included; rootless, the caller has joined its user namespace); a stopped one's snapshot is mounted,
/// opened and at once lazily detached, so the open handle keeps the tree reachable and nothing stays
/// mounted if skiff dies; one the user mounted (<c>skiff mount</c>) is opened where it is. The container lock is held while a stopped container is used, so it cannot start meanwhile.
/// For cp, a stopped container's volumes and bind-mounted directories are opened too (as podman mounts them
/// for cp): a path at or below a mount's destination resolves inside that mount's own root, so a symlink in a
/// volume cannot lead out of the volume.
/// </summary>
public sealed class ContainerRoot : IDisposable
{
    private readonly DescriptorLock? held;

    private static readonly HashSet<string> KernelFileSystems = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "securityfs", "debugfs", "tracefs", "bpf", "configfs", "fusectl", "pstore",
    };

    private readonly List<MountedRoot> volumes = [];

    private ContainerRoot(DirectoryHandle handle, IReadOnlyList<(string Path, string Type)> mounts, DescriptorLock? held, Core.IdMaps.IdMap? outerIds)
    {
        Handle = handle;
        OuterIds = outerIds;
        MountPoints = mounts.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        KernelMountPoints = mounts.Where(m => KernelFileSystems.Contains(m.Type)).Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        this.held = held;
    }

    public DirectoryHandle Handle { get; }

    /// <summary>
    /// The container's own map when this process sees its files with the outer ids (a container with a user
    /// namespace of its own stores what it writes with those), null when they are the container's ids already
    /// (no namespace of its own, or this process is inside it: rootless cp and export join a running container's).
    /// Readers turn outer ids back with it (<see cref="Images.Trees.ContainerOwnersSource"/>), writers through it.
    /// </summary>
    public Core.IdMaps.IdMap? OuterIds { get; }

    /// <summary>Paths (relative to the root, without a leading slash) where something is mounted in a running container.</summary>
    public IReadOnlySet<string> MountPoints { get; }

    /// <summary>The mount points of kernel filesystems (/proc, /sys, …): cp does not walk into them.</summary>
    public IReadOnlySet<string> KernelMountPoints { get; }

    /// <summary>Opens a container's root; <paramref name="withVolumes"/> also opens a stopped container's volume and bind mounts (cp; export leaves them out, as podman's).</summary>
    public static ContainerRoot Open(ContainerLifecycle lifecycle, string id, bool withVolumes = false)
    {
        ContainerConfig config = lifecycle.Store.ReadConfig(id);
        ContainerState state = lifecycle.Observe(id);
        if (state.Running)
        {
            DirectoryHandle root = DirectoryHandle.Open($"/proc/{state.Pid.ToString(CultureInfo.InvariantCulture)}/root");
            IReadOnlyList<(string, string)> mountPoints = MountPointsOf(state.Pid);

            // The pid was checked against its start time by Observe; check again now that the handle is open.
            if (!ProcessStartTime.IsAlive(state.Pid, state.PidStartTime))
            {
                root.Dispose();
                throw SkiffException.Conflict($"container {ContainerIds.Short(id)} exited while its root was being opened", "try again");
            }

            return new ContainerRoot(root, mountPoints, null, InUserNamespaceOf(state.Pid) ? null : config.IdMappings);
        }

        DescriptorLock held = lifecycle.Store.Lock(id);
        try
        {
            ContainerRoot opened;
            if (config.RootfsPath is not null)
            {
                opened = new ContainerRoot(DirectoryHandle.Open(config.RootfsPath), [], held, config.IdMappings);
            }
            else if (new ContainerMounts(lifecycle.Store).Count(id) > 0)
            {
                // Mounted by the user (skiff mount): that mount is the root; a second overlay over the same upper directory is not.
                opened = new ContainerRoot(DirectoryHandle.Open(lifecycle.Store.RootfsMountPoint(id)), [], held, config.IdMappings);
            }
            else
            {
                string mountPoint = lifecycle.Store.RootfsMountPoint(id);
                new RootfsMounter(new LinuxMountSyscalls()).Mount(config.RootfsMounts, mountPoint);
                try
                {
                    opened = new ContainerRoot(DirectoryHandle.Open(mountPoint), [], held, config.IdMappings);
                }
                finally
                {
                    RootfsMounter.TryUnmount(mountPoint);
                }
            }

            if (withVolumes)
            {
                try
                {
                    opened.OpenVolumes(config.Mounts);
                }
                catch
                {
                    opened.Dispose();
                    throw;
                }
            }

            return opened;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private static bool InUserNamespaceOf(int pid)
    {
        try
        {
            return new FileInfo("/proc/self/ns/user").LinkTarget == new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/user").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Opens the directory a container path names, resolved (symlinks and ".." included) inside the root it
    /// belongs to: the volume or bind mount whose destination holds it, else the container's root.
    /// Returns null when it is missing or not a directory.
    /// </summary>
    public DirectoryHandle? TryOpen(string path)
    {
        string clean = TreePath.Clean(path);
        MountedRoot? mount = MountOf(clean);
        if (mount is null)
        {
            return Handle.TryOpenInRoot(clean);
        }

        return mount.Handle.TryOpenInRoot(clean.Length == mount.Destination.Length ? string.Empty : clean[(mount.Destination.Length + 1)..]);
    }

    /// <summary>
    /// A stopped container's volume and bind mounts strictly below the directory <paramref name="path"/>, each
    /// with its destination relative to that directory: cp walks them where the tree has only an empty mount point.
    /// </summary>
    public IReadOnlyList<(string Relative, DirectoryHandle Handle)> MountsBelow(string path)
    {
        string clean = TreePath.Clean(path);
        return volumes
            .Where(v => v.Destination != clean && TreePath.IsWithin(v.Destination, clean))
            .Select(v => (clean.Length == 0 ? v.Destination : v.Destination[(clean.Length + 1)..], v.Handle))
            .ToList();
    }

    /// <summary>
    /// <see cref="OuterIds"/> for the files at a container path: none in a stopped container's <c>:idmap</c> volume
    /// or bind mount, whose source holds the container's ids as they are (its mount maps them while the container runs).
    /// </summary>
    public Core.IdMaps.IdMap? OuterIdsAt(string path) => MountOf(TreePath.Clean(path)) is { Idmapped: true } ? null : OuterIds;

    /// <summary>True when the path is a stopped container's volume or bind mount destination itself (cp treats it as that directory).</summary>
    public bool IsMountRoot(string path) => MountOf(TreePath.Clean(path)) is { } mount && mount.Destination == TreePath.Clean(path);

    /// <summary>Refuses to write below a stopped container's read-only volume or bind mount (a running one's kernel says EROFS).</summary>
    public void CheckWritable(string path, string container)
    {
        if (MountOf(TreePath.Clean(path)) is { ReadOnly: true } mount)
        {
            throw SkiffException.InvalidArgument($"\"/{mount.Destination}\" is mounted read-only in container {container}", "copy into a writable path, or recreate the container without :ro");
        }
    }

    public void Dispose()
    {
        foreach (MountedRoot volume in volumes)
        {
            volume.Handle.Dispose();
        }

        Handle.Dispose();
        held?.Dispose();
    }

    /// <summary>Volumes and directory binds (a file bind mount has no tree to resolve in; tmpfs mounts are empty while stopped).</summary>
    private void OpenVolumes(IReadOnlyList<ContainerMount> mounts)
    {
        foreach (ContainerMount mount in mounts)
        {
            string destination = TreePath.Clean(mount.Destination);
            if (mount.Type is not ("bind" or "volume") || destination.Length == 0 || !Directory.Exists(mount.Source))
            {
                continue;
            }

            volumes.Add(new MountedRoot(destination, DirectoryHandle.Open(mount.Source), mount.ReadOnly, IdmappedVolumes.Requested(mount)));
        }

        // Longest destination first: a mount below another's destination hides that part of it.
        volumes.Sort((a, b) => b.Destination.Length.CompareTo(a.Destination.Length));
    }

    private MountedRoot? MountOf(string clean) => volumes.FirstOrDefault(v => TreePath.IsWithin(clean, v.Destination));

    private sealed record MountedRoot(string Destination, DirectoryHandle Handle, bool ReadOnly, bool Idmapped);

    /// <summary>Mount points and types from /proc/PID/mountinfo (the kernel's own text: field 5 is the mount point, relative to that process's root).</summary>
    private static List<(string Path, string Type)> MountPointsOf(int pid)
    {
        var result = new List<(string, string)>();
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/mountinfo");
        }
        catch (IOException)
        {
            return result;
        }

        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Optional fields end at " - ", followed by the filesystem type.
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-");
            if (fields.Length > 4 && separator > 4 && separator + 1 < fields.Length)
            {
                string path = Unescape(fields[4]).Trim('/');
                if (path.Length > 0)
                {
                    result.Add((path, fields[separator + 1]));
                }
            }
        }

        return result;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
        var builder = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3).IndexOfAnyExceptInRange('0', '7') < 0)
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }
}
