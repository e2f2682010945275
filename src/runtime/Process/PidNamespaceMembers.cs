using System.Globalization;

namespace Skiff.Runtime.Process;

/// <summary>
/// The processes of a container: those in the pid namespace of its first process (compared by the
/// namespace's inode), and, where that link cannot be read, the descendants of the first process.
/// </summary>
public static class PidNamespaceMembers
{
    public static IReadOnlyList<ProcessInfo> List(int containerPid)
    {
        string? namespaceId = NamespaceOf(containerPid);
        var all = new List<ProcessInfo>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && ProcessInfo.TryRead(pid) is ProcessInfo info)
            {
                all.Add(info);
            }
        }

        var byPid = all.ToDictionary(p => p.HostPid);
        var members = new List<ProcessInfo>();
        foreach (ProcessInfo process in all)
        {
            string? ns = namespaceId is null ? null : NamespaceOf(process.HostPid);
            bool member = ns is not null ? ns == namespaceId : DescendsFrom(process, containerPid, byPid);
            if (member)
            {
                members.Add(process);
            }
        }

        return members.OrderBy(p => p.Pid).ToList();
    }

    private static bool DescendsFrom(ProcessInfo process, int ancestor, Dictionary<int, ProcessInfo> byPid)
    {
        ProcessInfo? current = process;
        for (int depth = 0; current is not null && depth < 4096; depth++)
        {
            if (current.HostPid == ancestor)
            {
                return true;
            }

            current = byPid.GetValueOrDefault(current.HostPpid);
        }

        return false;
    }

    /// <summary>The pid namespace of <paramref name="pid"/> (its /proc link, e.g. <c>pid:[4026532644]</c>); null when that cannot be read.</summary>
    public static string? NamespaceOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/pid").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
