using System.Globalization;
using Skiff.Core.Files;

namespace Skiff.Core.Processes;

/// <summary>This process's capability sets as /proc/self/status shows them (CapInh, CapPrm, CapEff, CapBnd, CapAmb).</summary>
public static class ProcessStatus
{
    /// <summary>
    /// The mask of the <paramref name="field"/> line (e.g. "CapBnd"), or null when the line is missing or not hex.
    /// Read through <see cref="KernelFile"/>: the CLI and the monitor read it on every container's start.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public static ulong? CapabilityMask(string field)
    {
        string status = KernelFile.ReadAllText("/proc/self/status");
        string key = "\n" + field + ":";
        int at = status.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        ReadOnlySpan<char> line = status.AsSpan(at + key.Length);
        int end = line.IndexOf('\n');
        return ulong.TryParse((end < 0 ? line : line[..end]).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask)
            ? mask
            : null;
    }
}
