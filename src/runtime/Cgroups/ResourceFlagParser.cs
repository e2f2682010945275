using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>Turns docker-style resource flags into <see cref="CgroupResources"/>, with docker's validation rules.</summary>
public static class ResourceFlagParser
{
    /// <summary>The CFS period docker and podman use with --cpus.</summary>
    public const ulong DefaultCpuPeriod = 100_000;

    /// <summary>Docker refuses smaller limits: the container's runtime needs more than this to start at all.</summary>
    public const long MinimumMemory = 6 * 1024 * 1024;

    /// <param name="availableMems">The machine's memory nodes (/sys/devices/system/node/online) that --cpuset-mems may name; null: not checked.</param>
    public static CgroupResources Parse(ResourceFlags flags, int availableCpus, IReadOnlySet<int>? availableMems = null)
    {
        long? memory = flags.Memory is null ? null : ByteSize.Parse(flags.Memory, "--memory");
        if (memory is not null && memory != 0 && memory < MinimumMemory)
        {
            throw SkiffException.InvalidArgument("minimum memory limit allowed is 6MB", "use --memory 6m or more");
        }

        if (memory == 0)
        {
            memory = null;
        }

        long? swap = ParseSwap(flags.MemorySwap, memory);
        (long? quota, ulong? period) = ParseCpu(flags, availableCpus);
        ulong? shares = ParseShares(flags.CpuShares);
        string? cpuset = null;
        if (!string.IsNullOrEmpty(flags.CpusetCpus))
        {
            IReadOnlySet<int> cpus = CpuList.Parse(flags.CpusetCpus, "--cpuset-cpus");
            int highest = cpus.Max();
            if (highest >= availableCpus)
            {
                throw SkiffException.InvalidArgument(
                    $"invalid value for --cpuset-cpus: cpu {highest} does not exist (this machine has cpus 0-{availableCpus - 1})");
            }

            cpuset = flags.CpusetCpus.Trim();
        }

        long? pids = null;
        if (flags.PidsLimit is not null)
        {
            if (!long.TryParse(flags.PidsLimit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < -1)
            {
                throw SkiffException.InvalidArgument($"invalid value for --pids-limit: '{flags.PidsLimit}'", "use a number of processes, or -1 for unlimited");
            }

            pids = value == 0 ? -1 : value;
        }

        ushort? blkio = null;
        if (flags.BlkioWeight is not null)
        {
            if (!ushort.TryParse(flags.BlkioWeight, NumberStyles.None, CultureInfo.InvariantCulture, out ushort weight)
                || (weight != 0 && weight is < 10 or > 1000))
            {
                throw SkiffException.InvalidArgument($"invalid value for --blkio-weight: '{flags.BlkioWeight}'", "use a weight between 10 and 1000, or 0 to disable");
            }

            blkio = weight == 0 ? null : weight;
        }

        long? reservation = flags.MemoryReservation is null ? null : ByteSize.Parse(flags.MemoryReservation, "--memory-reservation");
        if (reservation is > 0 and < MinimumMemory)
        {
            throw SkiffException.InvalidArgument("minimum memory reservation allowed is 6MB", "use --memory-reservation 6m or more");
        }

        if (reservation is not null && memory is not null && reservation > memory)
        {
            throw SkiffException.InvalidArgument(
                "minimum memory limit can not be less than memory reservation limit, see usage",
                "give --memory-reservation a size at most --memory's");
        }

        return new CgroupResources(memory, swap, quota, period, shares, cpuset, pids, blkio, reservation == 0 ? null : reservation)
        {
            MemorySwappiness = ParseSwappiness(flags.MemorySwappiness),
            OomKillDisable = flags.OomKillDisable ? true : null,
            CpusetMems = ParseMems(flags.CpusetMems, availableMems),
        };
    }

    /// <summary>podman's --memory-swappiness: 0..100, or -1 (its default) for the kernel's own value, which asks for nothing.</summary>
    private static ulong? ParseSwappiness(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value is < -1 or > 100)
        {
            throw SkiffException.InvalidArgument($"invalid value for --memory-swappiness: '{text}'", "use a number from 0 to 100, or -1 for the system default");
        }

        return value < 0 ? null : (ulong)value;
    }

    private static string? ParseMems(string? text, IReadOnlySet<int>? available)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        IReadOnlySet<int> nodes = CpuList.Parse(text, "--cpuset-mems");
        if (available is not null && nodes.FirstOrDefault(n => !available.Contains(n), -1) is var missing and >= 0)
        {
            // docker's and podman's wording.
            throw SkiffException.InvalidArgument(
                $"invalid value for --cpuset-mems: memory node {missing} does not exist (this machine has nodes {string.Join(',', available.Order())})");
        }

        return text.Trim();
    }

    private static long? ParseSwap(string? text, long? memory)
    {
        if (text is null)
        {
            return null;
        }

        long swap = text.Trim() == "-1" ? -1 : ByteSize.Parse(text, "--memory-swap");
        if (swap == 0)
        {
            return null;
        }

        if (memory is null)
        {
            throw SkiffException.InvalidArgument(
                "--memory-swap needs --memory",
                "set --memory as well; --memory-swap is the total of memory and swap");
        }

        if (swap != -1 && swap < memory)
        {
            throw SkiffException.InvalidArgument(
                "--memory-swap must be larger than or equal to --memory",
                "--memory-swap is the total of memory and swap; use -1 for unlimited swap");
        }

        return swap;
    }

    private static (long? Quota, ulong? Period) ParseCpu(ResourceFlags flags, int availableCpus)
    {
        ulong? period = null;
        long? quota = null;
        if (flags.CpuPeriod is not null)
        {
            if (!ulong.TryParse(flags.CpuPeriod, NumberStyles.None, CultureInfo.InvariantCulture, out ulong p) || (p != 0 && p is < 1000 or > 1_000_000))
            {
                throw SkiffException.InvalidArgument($"invalid value for --cpu-period: '{flags.CpuPeriod}'", "CPU period must be between 1000 and 1000000 microseconds");
            }

            period = p == 0 ? null : p;
        }

        if (flags.CpuQuota is not null)
        {
            if (!long.TryParse(flags.CpuQuota, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long q) || (q > 0 && q < 1000) || q < -1)
            {
                throw SkiffException.InvalidArgument($"invalid value for --cpu-quota: '{flags.CpuQuota}'", "CPU quota must be at least 1000 microseconds, or -1 for unlimited");
            }

            quota = q == 0 ? null : q;
        }

        if (flags.Cpus is null)
        {
            return (quota, period);
        }

        if (period is not null || quota is not null)
        {
            throw SkiffException.InvalidArgument(
                "conflicting options: --cpus and --cpu-period/--cpu-quota cannot both be set",
                "use either --cpus or --cpu-period with --cpu-quota");
        }

        if (!decimal.TryParse(flags.Cpus, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal cpus) || cpus < 0)
        {
            throw SkiffException.InvalidArgument($"invalid value for --cpus: '{flags.Cpus}'", "use a number of cpus, e.g. 0.5 or 2");
        }

        if (cpus == 0)
        {
            return (null, null);
        }

        if (cpus < 0.01m || cpus > availableCpus)
        {
            throw SkiffException.InvalidArgument(
                string.Create(CultureInfo.InvariantCulture, $"range of CPUs is from 0.01 to {availableCpus:0.00}, as there are only {availableCpus} CPUs available"));
        }

        return ((long)(cpus * DefaultCpuPeriod), DefaultCpuPeriod);
    }

    private static ulong? ParseShares(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong shares) || (shares != 0 && shares is < 2 or > 262144))
        {
            throw SkiffException.InvalidArgument($"invalid value for --cpu-shares: '{text}'", "use a weight between 2 and 262144 (the default is 1024)");
        }

        return shares == 0 ? null : shares;
    }
}
