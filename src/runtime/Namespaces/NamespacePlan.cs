using System.Globalization;
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
        NamespaceKinds join = NamespaceKinds.None;
        int? joinPid = null;
        foreach (NamespaceSpec ns in linux.Namespaces)
        {
            NamespaceKinds kind = KindOf(ns.Type);
            if (ns.Path is null)
            {
                unshare |= kind;
                continue;
            }

            int pid = PidOf(ns.Path, kind);
            if (joinPid is int other && other != pid)
            {
                throw SkiffException.InvalidArgument(
                    $"joining namespaces of different processes ({other} and {pid}) is not supported yet",
                    "give every namespace path as /proc/PID/ns/TYPE of the same process");
            }

            joinPid = pid;
            join |= kind;
        }

        IdMap? maps = null;
        if (unshare.HasFlag(NamespaceKinds.User))
        {
            maps = new IdMap(Convert(linux.UidMappings), Convert(linux.GidMappings));
        }

        return new NamespaceRequest(unshare, joinPid, join, maps);
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

    /// <summary>The entry stage joins by pid, so a path must be /proc/PID/ns/&lt;name of this kind&gt;.</summary>
    private static int PidOf(string path, NamespaceKinds kind)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 4 && parts[0] == "proc" && parts[2] == "ns" && parts[3] == NamespaceNames.ProcName(kind)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0)
        {
            return pid;
        }

        throw SkiffException.InvalidArgument(
            $"namespace path `{path}` is not supported yet",
            $"use /proc/PID/ns/{NamespaceNames.ProcName(kind)}");
    }

    private static List<IdMapping> Convert(List<IdMappingSpec>? mappings) =>
        [.. (mappings ?? []).Select(m => new IdMapping(m.ContainerId, m.HostId, m.Size))];
}
