using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Rootless.Native;
using Skiff.Runtime.Fds;

namespace Skiff.Rootless.Network;

/// <summary>
/// A session's scheduler autogroup (sched(7), "The autogroup feature"). Where the kernel groups processes by
/// session (CONFIG_SCHED_AUTOGROUP, kernel.sched_autogroup_enabled, processes in no cpu cgroup of their own, as
/// on this machine), the sessions share the CPU by the weight of each one's nice value in
/// <c>/proc/PID/autogroup</c>, whatever the nice values of the processes in them; elsewhere the value is kept
/// and changes nothing. Without CAP_SYS_ADMIN only one change per 100 ms is allowed on the whole machine.
/// </summary>
public static unsafe class SessionAutogroup
{
    private const int WriteOnly = 1;

    /// <summary>
    /// Whether the kernel shares the CPU between sessions by autogroup for this process: autogroups are enabled and the
    /// process is in the root task group (an autogroup counts only there, sched(7): outside any cgroup of the cpu
    /// controller). Then a process's nice value weighs only against the other processes of its session.
    /// </summary>
    public static bool GroupsThisProcess() => GroupsProcess(TryRead("/proc/sys/kernel/sched_autogroup_enabled"), TryRead("/proc/self/cgroup"), TryRead);

    /// <summary><see cref="GroupsThisProcess"/> on given file contents; <paramref name="read"/> reads a cgroup v2 directory's <c>cgroup.controllers</c>.</summary>
    public static bool GroupsProcess(string? enabled, string? cgroups, Func<string, string?> read)
    {
        if (enabled?.Trim() != "1" || cgroups is null)
        {
            return false;
        }

        string? unified = null;
        foreach (string line in cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // HIERARCHY-ID:CONTROLLERS:PATH; the cgroup v2 line is 0::PATH.
            string[] fields = line.Split(':', 3);
            if (fields.Length != 3)
            {
                continue;
            }

            if (fields[1].Length == 0 && fields[0] == "0")
            {
                unified = fields[2];
            }
            else if (fields[1].Split(',').Contains("cpu"))
            {
                // The cpu controller is a v1 hierarchy here: only its root group is the root task group.
                return fields[2] == "/";
            }
        }

        if (unified is null || unified == "/")
        {
            return unified is not null;
        }

        // v2: a group where the cpu controller is enabled (its parent delegated it) is a task group of its own.
        string? controllers = read("/sys/fs/cgroup" + unified + "/cgroup.controllers");
        return controllers is not null && !controllers.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains("cpu");
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Sets the nice value of <paramref name="pid"/>'s autogroup; false when it could not (no autogroups, gone, refused).</summary>
    public static bool TrySetNice(int pid, int nice)
    {
        SafeFileHandle file;
        try
        {
            file = Descriptors.Open($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/autogroup", WriteOnly);
        }
        catch (SystemCallException)
        {
            return false;
        }

        using (file)
        {
            byte[] text = Encoding.ASCII.GetBytes(nice.ToString(CultureInfo.InvariantCulture));
            fixed (byte* p = text)
            {
                return Libc.write(file, p, (nuint)text.Length) == text.Length;
            }
        }
    }
}
