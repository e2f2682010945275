using System.Globalization;
using Skiff.Core.Files;

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
        // KernelFile, not File.ReadLines: read by the CLI and the monitor on every container's start, and a reader's
        // buffers are fresh pages.
        string status = KernelFile.ReadAllText("/proc/self/status");
        int at = status.IndexOf("\nCapBnd:", StringComparison.Ordinal);
        if (at >= 0)
        {
            ReadOnlySpan<char> line = status.AsSpan(at + "\nCapBnd:".Length);
            int end = line.IndexOf('\n');
            if (ulong.TryParse((end < 0 ? line : line[..end]).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask))
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
        }

        return Spec.Capabilities.All;
    }
}
