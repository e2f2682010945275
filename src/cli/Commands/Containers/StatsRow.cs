using System.Diagnostics;
using System.Globalization;
using Skiff.Cli.Output;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>One line of <c>skiff stats</c> as templates see it (docker's field names, plus podman's PIDS).</summary>
public static class StatsRow
{
    public const string TypeName = "stats.containerStats";

    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static readonly string[] Fields = ["ID", "Container", "Name", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs", "PIDS"];

    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["ID"] = "CONTAINER ID",
        ["Container"] = "CONTAINER",
        ["CPUPerc"] = "CPU %",
        ["MemUsage"] = "MEM USAGE / LIMIT",
        ["MemPerc"] = "MEM %",
        ["NetIO"] = "NET I/O",
        ["BlockIO"] = "BLOCK I/O",
        ["PIDs"] = "PIDS",
    };

    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <param name="previous">The sample before <paramref name="current"/>; CPU % is the cpu time used between the two.</param>
    /// <param name="hostMemory">Shown as the limit when the container has none, as docker does.</param>
    public static TemplateObject Build(ContainerConfig config, ContainerUsage previous, ContainerUsage current, ulong hostMemory, bool noTrunc)
    {
        double elapsedNs = Stopwatch.GetElapsedTime(previous.TimestampTicks, current.TimestampTicks).TotalMilliseconds * 1_000_000;
        ulong cpuNs = current.Cgroup.CpuUsageNanoseconds - Math.Min(previous.Cgroup.CpuUsageNanoseconds, current.Cgroup.CpuUsageNanoseconds);
        double cpuPercent = elapsedNs > 0 ? cpuNs / elapsedNs * 100 : 0;
        ulong limit = current.Cgroup.MemoryLimit is { } l && l < hostMemory ? l : hostMemory;
        double memPercent = limit > 0 ? (double)current.Cgroup.MemoryUsage / limit * 100 : 0;
        string id = noTrunc ? config.Id : ContainerIds.Short(config.Id);
        return new TemplateObject(TypeName)
        {
            ["ID"] = id,
            ["Container"] = id,
            ["Name"] = config.Name,
            ["CPUPerc"] = Percent(cpuPercent),
            ["MemUsage"] = $"{Binary(current.Cgroup.MemoryUsage)} / {Binary(limit)}",
            ["MemPerc"] = Percent(memPercent),
            ["NetIO"] = $"{Humanize.Size((long)current.NetReceived)} / {Humanize.Size((long)current.NetSent)}",
            ["BlockIO"] = $"{Humanize.Size((long)current.Cgroup.BlockRead)} / {Humanize.Size((long)current.Cgroup.BlockWrite)}",
            ["PIDs"] = current.Cgroup.Pids.ToString(CultureInfo.InvariantCulture),
            ["PIDS"] = current.Cgroup.Pids.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Percent(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>docker's BytesSize: binary units, four significant digits.</summary>
    private static string Binary(ulong bytes)
    {
        double size = bytes;
        int unit = 0;
        while (size >= 1024 && unit < BinaryUnits.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return GoNumbers.FormatG(size, 4) + BinaryUnits[unit];
    }
}
