using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Namespaces;

/// <summary>Turns the spec's linux.namespaces and id mappings into what the entry stage does.</summary>
public static class NamespacePlan
{
    public static NamespaceRequest From(LinuxSpec linux)
    {
        NamespaceKinds unshare = NamespaceKinds.None;
        var paths = new Dictionary<NamespaceKinds, string>();
        foreach (NamespaceSpec ns in linux.Namespaces)
        {
            NamespaceKinds kind = KindOf(ns.Type);
            if (paths.ContainsKey(kind) || unshare.HasFlag(kind))
            {
                throw SkiffException.InvalidArgument($"namespace `{ns.Type}` is listed twice");
            }

            if (ns.Path is null)
            {
                unshare |= kind;
            }
            else if (!Path.IsPathFullyQualified(ns.Path))
            {
                throw SkiffException.InvalidArgument($"namespace path `{ns.Path}` is not absolute");
            }
            else
            {
                paths[kind] = ns.Path;
            }
        }

        IdMap? maps = null;
        if (unshare.HasFlag(NamespaceKinds.User))
        {
            maps = new IdMap(Convert(linux.UidMappings), Convert(linux.GidMappings));
        }

        return new NamespaceRequest(unshare, Maps: maps) { JoinPaths = paths };
    }

    /// <summary>
    /// The first bind mount source inside another process's root (<c>/proc/PID/root/…</c>, another mount
    /// namespace: a joined container's /dev/shm), which the entry stage must clone; null when there is none.
    /// </summary>
    public static string? ForeignBindSource(RuntimeSpec spec)
    {
        foreach (SpecMount mount in spec.Mounts)
        {
            if (mount.Source is { } source && source.StartsWith("/proc/", StringComparison.Ordinal)
                && (mount.Type == "bind" || mount.Options?.Contains("bind") == true || mount.Options?.Contains("rbind") == true))
            {
                int slash = source.IndexOf('/', 6);
                if (slash > 6 && source.AsSpan(6, slash - 6).IndexOfAnyExceptInRange('0', '9') < 0 && source.AsSpan(slash).StartsWith("/root/"))
                {
                    return source;
                }
            }
        }

        return null;
    }

    public static NamespaceKinds KindOf(string type) => type switch
    {
        "pid" => NamespaceKinds.Pid,
        "network" => NamespaceKinds.Network,
        "mount" => NamespaceKinds.Mount,
        "ipc" => NamespaceKinds.Ipc,
        "uts" => NamespaceKinds.Uts,
        "user" => NamespaceKinds.User,
        "cgroup" => NamespaceKinds.Cgroup,
        _ => throw SkiffException.InvalidArgument($"unknown namespace type `{type}`"),
    };

    private static List<IdMapping> Convert(List<IdMappingSpec>? mappings) =>
        [.. (mappings ?? []).Select(m => new IdMapping(m.ContainerId, m.HostId, m.Size))];
}
