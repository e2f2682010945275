namespace Skiff.Runtime.Cgroups;

/// <summary>The machine's memory (NUMA) nodes, which --cpuset-mems may name.</summary>
public static class MemoryNodes
{
    public const string OnlineFile = "/sys/devices/system/node/online";

    /// <summary>The nodes the kernel lists as online (one, node 0, on a machine without NUMA); null when the file cannot be read.</summary>
    public static IReadOnlySet<int>? Online(string path = OnlineFile)
    {
        try
        {
            return CpuList.Parse(File.ReadAllText(path).Trim(), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.Errors.SkiffException)
        {
            return null;
        }
    }
}
