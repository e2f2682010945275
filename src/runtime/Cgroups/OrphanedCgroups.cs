using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// Container groups left under skiff's parent groups after their container is gone (a store deleted by hand under
/// running containers, a crash between a group's creation and its removal). A group is an orphan when its name is a
/// container id no container of this store has, no process is in it or below it, and nothing in it was made for
/// <see cref="MinimumAge"/>. The age test is there for other stores sharing the parents: a container's group is made
/// (mkdir, which sets the directory's time) a moment before its init joins it, so a young empty group may be a
/// container starting right now. This store's own containers are excluded by id whatever their state, so one of
/// them being started is never a candidate. Removal is rmdir alone, deepest first: nothing is killed, and a group a
/// process joined meanwhile stays (the kernel refuses to remove a populated group).
/// </summary>
public sealed class OrphanedCgroups
{
    public static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyList<string> _parents;
    private readonly Action<string> _removeDirectory;

    /// <param name="parents">skiff's parent groups (directories), from <see cref="ParentsFor"/>.</param>
    /// <param name="removeDirectory">rmdir of one empty group; a parameter so tests can stand in for the kernel,
    /// which removes a group's interface files with it.</param>
    public OrphanedCgroups(IReadOnlyList<string> parents, Action<string>? removeDirectory = null)
    {
        _parents = parents;
        _removeDirectory = removeDirectory ?? (directory => Directory.Delete(directory, recursive: false));
    }

    /// <summary>
    /// Where skiff's cgroupfs managers and the runtimes they drive make container groups, as far as the current user
    /// may look: root has <c>skiff</c> under every v1 hierarchy (controllers and named ones) and under the cgroup2 mount;
    /// a rootless user only <c>skiff</c> under a delegated cgroup2 group of their own, and nothing without delegation.
    /// systemd's scopes are systemd's to clean up and are not included.
    /// </summary>
    public static IReadOnlyList<string> ParentsFor(CgroupLayout layout, bool rootless, CgroupDelegation? delegation)
    {
        var roots = new List<string>();
        if (rootless)
        {
            if (layout is { Mode: CgroupMode.Unified, UnifiedMount: { } mount } && delegation is { Writable: true, Group: { } group })
            {
                roots.Add(Path.Combine(mount, group));
            }
        }
        else
        {
            roots.AddRange(layout.V1Mounts.Values);
            roots.AddRange(layout.NamedV1Mounts ?? []);
            if (layout.UnifiedMount is { } unified)
            {
                roots.Add(unified);
            }
        }

        return roots.Distinct(StringComparer.Ordinal).Select(root => Path.Combine(root, "skiff")).ToList();
    }

    /// <summary>
    /// The orphaned groups (directories directly under a parent), in path order. A container has a group under
    /// several parents (one per v1 hierarchy; crun adds the named and cgroup2 ones and may leave some without a
    /// process), so its groups are judged together: one with a process, or one made recently, keeps them all.
    /// </summary>
    /// <param name="storeContainerIds">Every container id of this store, whatever its state.</param>
    public IReadOnlyList<string> Find(IReadOnlySet<string> storeContainerIds, DateTimeOffset now)
    {
        var byContainer = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string parent in _parents)
        {
            foreach (string group in Children(parent))
            {
                string id = Path.GetFileName(group);
                if (ContainerIds.IsFull(id) && !storeContainerIds.Contains(id))
                {
                    if (!byContainer.TryGetValue(id, out List<string>? groups))
                    {
                        byContainer[id] = groups = [];
                    }

                    groups.Add(group);
                }
            }
        }

        var orphans = new List<string>();
        foreach (List<string> groups in byContainer.Values)
        {
            if (!groups.Any(Populated) && groups.All(g => Directory.Exists(g) && now - Newest(g) >= MinimumAge))
            {
                orphans.AddRange(groups);
            }
        }

        orphans.Sort(StringComparer.Ordinal);
        return orphans;
    }

    /// <summary>Removes <paramref name="group"/> and the groups below it, deepest first; true when it is gone.</summary>
    public bool TryRemove(string group)
    {
        if (Populated(group))
        {
            return false;
        }

        try
        {
            foreach (string child in Children(group))
            {
                if (!TryRemove(child))
                {
                    return false;
                }
            }

            _removeDirectory(group);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return !Directory.Exists(group);
        }
    }

    /// <summary>A process in the group or in any group below it.</summary>
    private static bool Populated(string group) =>
        CgroupFile.ReadProcesses(group).Count > 0 || Children(group).Any(Populated);

    /// <summary>The latest time anything in the subtree was made (a cgroup directory's time is set by its mkdir).</summary>
    private static DateTimeOffset Newest(string group)
    {
        DateTimeOffset newest = new(Directory.GetLastWriteTimeUtc(group), TimeSpan.Zero);
        foreach (string child in Children(group))
        {
            DateTimeOffset time = Newest(child);
            newest = time > newest ? time : newest;
        }

        return newest;
    }

    private static IReadOnlyList<string> Children(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
