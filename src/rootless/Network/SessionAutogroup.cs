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
internal static unsafe class SessionAutogroup
{
    private const int WriteOnly = 1;

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
