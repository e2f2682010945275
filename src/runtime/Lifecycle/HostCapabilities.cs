using Skiff.Core.Processes;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// The capabilities skiff itself may hand out: its bounding set. "All capabilities" (--privileged,
/// --cap-add ALL) means these, as in docker and podman; root on some hosts lacks a few
/// (CAP_SYS_RESOURCE here) and a runtime cannot raise what its caller lacks.
/// </summary>
public static class HostCapabilities
{
    public static IReadOnlyList<string> Bounding()
    {
        if (ProcessStatus.CapabilityMask("CapBnd") is ulong mask)
        {
            var bounding = new List<string>(Spec.Capabilities.All.Count);
            for (int number = 0; number < Spec.Capabilities.All.Count; number++)
            {
                if ((mask & (1UL << number)) != 0)
                {
                    bounding.Add(Spec.Capabilities.All[number]);
                }
            }

            return bounding;
        }

        return Spec.Capabilities.All;
    }
}
