using Skiff.Core.Processes;
using Skiff.Core.Users;
using Skiff.Rootless.Native;

namespace Skiff.Rootless.Network;

/// <summary>
/// A process's nice value (setpriority(2)). Anyone may raise a process's nice value; lowering it again, even
/// back to 0, takes CAP_SYS_NICE in the initial user namespace (or an RLIMIT_NICE of 20, rare), so only a
/// process that may give the value back lowers it.
/// </summary>
internal static class ProcessPriority
{
    /// <summary>CAP_SYS_NICE's bit in the capability sets of /proc/PID/status.</summary>
    private const int CapSysNice = 23;

    /// <summary>Whether this process may lower a nice value it raised: root outside any user namespace of skiff's, with CAP_SYS_NICE.</summary>
    public static bool CanRestore()
    {
        if (CurrentUser.Detect().Rootless)
        {
            return false;
        }

        try
        {
            return ProcessStatus.CapabilityMask("CapEff") is ulong effective && (effective & (1UL << CapSysNice)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Sets <paramref name="pid"/>'s nice value; false when the kernel refused (or it is gone).</summary>
    public static bool TrySet(int pid, int nice) => Libc.setpriority(Libc.PRIO_PROCESS, (uint)pid, nice) == 0;
}
