using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// When the last process of a container exits, the kernel tears its mount namespace down in that exit
/// (umount of every mount, then an RCU grace period) before the parent hears of it. Held by the monitor, the
/// teardown happens when the monitor lets go, after the exit is reported. Not with volumes: their
/// removal at --rm expects nothing to hold them mounted. Closed on exec (skiff-relay's handover).
/// </summary>
internal static class MountNamespaceHold
{
    /// <summary>The container's mount namespace, or null when it has volumes or cannot be opened.</summary>
    public static SafeFileHandle? TryOpen(ContainerConfig config, int pid)
    {
        if (config.Mounts.Count > 0)
        {
            return null;
        }

        try
        {
            return Descriptors.Open($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/mnt", 0);
        }
        catch (SystemCallException)
        {
            // Already gone, or not ours to open: the exit tears it down as before.
            return null;
        }
    }
}
