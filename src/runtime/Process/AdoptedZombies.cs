using System.Globalization;

namespace Skiff.Runtime.Process;

/// <summary>
/// Ended children this process adopted as child subreaper inside a container's pid namespace. A process skiff starts
/// in a container from outside (a healthcheck's exec) is adopted by the container's monitor when the program that
/// started it ends first. Ended, its pid stays taken in the namespace until its parent reaps it, and the kernel lets
/// the container's init finish its own exit only once every other pid of the namespace is free (zap_pid_ns_processes):
/// the monitor, waiting for that exit, would wait forever. Zombies outside the namespace (a pasta the monitor
/// adopted) are left alone: their pid stays reserved for whoever signals them.
/// </summary>
public static class AdoptedZombies
{
    /// <summary>Reaps the ended children in <paramref name="containerPid"/>'s pid namespace but <paramref name="containerPid"/> and <paramref name="keep"/>; returns how many.</summary>
    public static int ReapInNamespaceOf(int containerPid, int keep)
    {
        string? container = PidNamespaceMembers.NamespaceOf(containerPid);
        if (container is null)
        {
            return 0;
        }

        int reaped = 0;
        foreach (int child in Children())
        {
            if (child != containerPid
                && child != keep
                && Containers.ProcessStat.TryRead(child) is { State: 'Z' }
                && PidNamespaceMembers.NamespaceOf(child) == container
                && ChildProcesses.TryReap(child))
            {
                reaped++;
            }
        }

        return reaped;
    }

    /// <summary>This process's children, from each thread's list (proc(5) /proc/PID/task/TID/children).</summary>
    private static List<int> Children()
    {
        var children = new List<int>();
        try
        {
            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                foreach (string pid in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int child))
                    {
                        children.Add(child);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A thread that ended meanwhile, or a kernel without the children files: what was read counts.
        }

        return children;
    }
}
