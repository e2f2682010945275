using System.Globalization;

namespace Skiff.Runtime.Containers;

/// <summary>The processes of a container, found through its init's pid namespace (what `kill --all` signals).</summary>
public static class ContainerProcesses
{
    /// <summary>Every live process in the init's pid namespace; only the init when that namespace is the caller's own (the container shares the host's).</summary>
    public static IReadOnlyList<int> List(int initPid)
    {
        string? initNamespace = Process.PidNamespaceMembers.NamespaceOf(initPid);
        if (initNamespace is null || initNamespace == Process.PidNamespaceMembers.NamespaceOf(Environment.ProcessId))
        {
            return [initPid];
        }

        var pids = new List<int>();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && Process.PidNamespaceMembers.NamespaceOf(pid) == initNamespace)
            {
                pids.Add(pid);
            }
        }

        return pids;
    }
}
