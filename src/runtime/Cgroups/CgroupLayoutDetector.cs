using Skiff.Core.Files;

namespace Skiff.Runtime.Cgroups;

/// <summary>Reads the cgroup mounts from mountinfo. Paths are parameters so tests can feed a fake machine.</summary>
public static class CgroupLayoutDetector
{
    private static readonly HashSet<string> KnownV1Controllers =
        ["memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "freezer", "devices", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc"];

    public static CgroupLayout Detect(string mountInfoPath = "/proc/self/mountinfo")
    {
        string text = File.Exists(mountInfoPath) ? KernelFile.ReadAllText(mountInfoPath) : string.Empty;
        return Parse(text, ReadControllers);
    }

    /// <summary>Parses mountinfo text; <paramref name="readControllers"/> returns the controllers of a cgroup2 mount point.</summary>
    public static CgroupLayout Parse(string mountInfo, Func<string, IReadOnlySet<string>> readControllers)
    {
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        var named = new List<string>();
        string? unified = null;
        foreach (string line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Only cgroup mounts matter ("- cgroup" or "- cgroup2" after the optional fields; spaces in paths are
            // escaped): a host with many containers has hundreds of other lines, read on every container's start.
            if (!line.Contains(" - cgroup", StringComparison.Ordinal))
            {
                continue;
            }

            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-");
            if (separator < 5 || fields.Length < separator + 4)
            {
                continue;
            }

            string mountPoint = Unescape(fields[4]);
            string fsType = fields[separator + 1];
            string superOptions = fields[separator + 3];
            if (fsType == "cgroup2")
            {
                unified ??= mountPoint;
            }
            else if (fsType == "cgroup")
            {
                bool controller = false, name = false;
                foreach (string option in superOptions.Split(','))
                {
                    if (KnownV1Controllers.Contains(option))
                    {
                        v1.TryAdd(option, mountPoint);
                        controller = true;
                    }
                    else
                    {
                        name |= option.StartsWith("name=", StringComparison.Ordinal);
                    }
                }

                if (name && !controller && !named.Contains(mountPoint))
                {
                    named.Add(mountPoint);
                }
            }
        }

        IReadOnlySet<string> controllers = unified is null ? new HashSet<string>() : readControllers(unified);
        CgroupMode mode = (v1.Count, unified) switch
        {
            (0, null) => CgroupMode.None,
            (0, _) => CgroupMode.Unified,
            (_, null) => CgroupMode.Legacy,
            _ => CgroupMode.Hybrid,
        };
        return new CgroupLayout(mode, v1, unified, controllers, named);
    }

    public static IReadOnlySet<string> ReadControllers(string cgroupDirectory)
    {
        string path = Path.Combine(cgroupDirectory, "cgroup.controllers");
        try
        {
            return KernelFile.ReadAllText(path).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        catch (IOException)
        {
            return new HashSet<string>();
        }
        catch (UnauthorizedAccessException)
        {
            return new HashSet<string>();
        }
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as octal.</summary>
    private static string Unescape(string field) => field
        .Replace("\\040", " ", StringComparison.Ordinal)
        .Replace("\\011", "\t", StringComparison.Ordinal)
        .Replace("\\012", "\n", StringComparison.Ordinal)
        .Replace("\\134", "\\", StringComparison.Ordinal);
}
