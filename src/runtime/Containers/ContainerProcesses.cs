using System.Globalization;

namespace Skiff.Runtime.Containers;

/// <summary>The processes of a container, found through its init's pid namespace (what `kill --all` signals).</summary>
public static class ContainerProcesses
{
    /// <summary>Every live process in the init's pid namespace; only the init when that namespace is the caller's own (the container shares the host's).</summary>
    public static IReadOnlyList<int> List(int initPid)
    {
        string? initNamespace = NamespaceOf(initPid);
        if (initNamespace is null || initNamespace == NamespaceOf(Environment.ProcessId))
        {
            return [initPid];
        }

        var pids = new List<int>();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && NamespaceOf(pid) == initNamespace)
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    private static string? NamespaceOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
