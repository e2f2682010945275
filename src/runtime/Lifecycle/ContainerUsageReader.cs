using System.Diagnostics;
using System.Globalization;
using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Lifecycle;

/// <summary>Samples what <c>skiff stats</c> shows: cgroup counters plus /proc/PID/net/dev of the container's init.</summary>
public sealed class ContainerUsageReader(ContainerCgroups cgroups)
{
    public ContainerUsage Read(ContainerConfig config, ContainerState state)
    {
        ICgroupManager manager = cgroups.ManagerFor(config.CgroupPath, config.Name, "read stats of");
        CgroupStats stats = manager.ReadStats(config.CgroupPath!);
        (ulong received, ulong sent) = config.NetworkMode == "host" ? (0UL, 0UL) : ReadNetDev(state.Pid);
        return new ContainerUsage(stats, received, sent, Stopwatch.GetTimestamp());
    }

    /// <summary>Sums every interface but loopback, as docker does.</summary>
    public static (ulong Received, ulong Sent) ParseNetDev(string text)
    {
        ulong received = 0, sent = 0;
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || line[..colon].Trim() == "lo")
            {
                continue;
            }

            string[] fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 9
                && ulong.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong rx)
                && ulong.TryParse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture, out ulong tx))
            {
                received += rx;
                sent += tx;
            }
        }

        return (received, sent);
    }

    private static (ulong, ulong) ReadNetDev(int pid)
    {
        try
        {
            return ParseNetDev(File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/net/dev")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }
}
