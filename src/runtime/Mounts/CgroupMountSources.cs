using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Mounts;

/// <summary>Which host directories show a container its own cgroup: one per mounted hierarchy that has the group.</summary>
public static class CgroupMountSources
{
    /// <returns>(name under /sys/fs/cgroup, host directory of the group in that hierarchy); on cgroup v2 one entry with an empty name.</returns>
    /// <param name="named">Named v1 hierarchies (mount points) the container has a group in too (<see cref="NamedHandedOver"/>).</param>
    public static IReadOnlyList<(string Name, string Directory)> For(CgroupLayout layout, string cgroupsPath, IReadOnlyList<string>? named = null)
    {
        string relative = cgroupsPath.Trim('/');
        var sources = new List<(string, string)>();
        if (layout.Mode == CgroupMode.Unified)
        {
            // One hierarchy: the group itself becomes /sys/fs/cgroup (an empty name).
            string group = Path.Combine(layout.UnifiedMount!, relative);
            return Directory.Exists(group) ? [(string.Empty, group)] : [];
        }

        foreach (string mountPoint in layout.V1Mounts.Values.Concat(named ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            string directory = Path.Combine(mountPoint, relative);
            if (Directory.Exists(directory))
            {
                sources.Add((Path.GetFileName(mountPoint), directory));
            }
        }

        return sources;
    }

    /// <summary>
    /// For a container without a group of its own (rootless on cgroup v1, or v2 without a delegated subtree): the groups
    /// its processes inherited from the caller, one per mounted hierarchy, as runc binds them for podman.
    /// </summary>
    /// <param name="entries">The caller's /proc/self/cgroup (<see cref="ProcCgroupEntry.Parse"/>).</param>
    public static IReadOnlyList<(string Name, string Directory)> Inherited(CgroupLayout layout, IReadOnlyList<ProcCgroupEntry> entries)
    {
        var sources = new List<(string Name, string Directory)>();
        foreach (ProcCgroupEntry entry in entries)
        {
            string? mountPoint = (layout.Mode == CgroupMode.Unified) == entry.IsUnified ? layout.MountPointOf(entry) : null;
            if (mountPoint is null)
            {
                continue;
            }

            string directory = Path.Combine(mountPoint, entry.Path.Trim('/'));
            if (layout.Mode == CgroupMode.Unified)
            {
                return Directory.Exists(directory) ? [(string.Empty, directory)] : [];
            }

            string name = Path.GetFileName(mountPoint);
            if (Directory.Exists(directory) && !sources.Any(s => s.Name == name))
            {
                sources.Add((name, directory));
            }
        }

        sources.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return sources;
    }

    /// <summary>
    /// The named v1 hierarchies (name=systemd) the spec binds into the container (systemd mode binds the host's
    /// name=systemd hierarchy writable): its processes must then have a group of their own in them, as runc and crun
    /// always give them, or systemd inside would take the hierarchy's root as its own. Empty otherwise, with no I/O.
    /// </summary>
    public static IReadOnlyList<string> NamedHandedOver(CgroupLayout layout, IReadOnlyList<SpecMount> mounts)
    {
        if (layout.NamedV1Mounts is not { Count: > 0 } named)
        {
            return [];
        }

        var handed = new List<string>();
        foreach (SpecMount mount in mounts)
        {
            if (mount.Source is { } source && named.Contains(source, StringComparer.Ordinal) && !handed.Contains(source))
            {
                handed.Add(source);
            }
        }

        return handed;
    }
}
