using System.Globalization;

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
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("CapBnd:", StringComparison.Ordinal)
                && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask))
            {
                return [.. Spec.Capabilities.All.Where((_, number) => (mask & (1UL << number)) != 0)];
            }
        }

        return Spec.Capabilities.All;
    }
}
