using System.CommandLine;
using Skiff.Runtime.Cgroups;

namespace Skiff.Cli.Commands.Containers;

/// <summary>The cgroup limit flags shared by run, create and update (docker's names and syntax).</summary>
public sealed class ResourceOptions
{
    public Option<string?> Memory { get; } = new("--memory", "-m") { Description = "Memory limit (format: <number>[<unit>], where unit = b, k, m or g)" };

    public Option<string?> MemorySwap { get; } = new("--memory-swap") { Description = "Total memory plus swap; -1 for unlimited swap" };

    public Option<string?> Cpus { get; } = new("--cpus") { Description = "Number of CPUs (e.g. 0.5)" };

    public Option<string?> CpuPeriod { get; } = new("--cpu-period") { Description = "Limit the CPU CFS period (microseconds)" };

    public Option<string?> CpuQuota { get; } = new("--cpu-quota") { Description = "Limit the CPU CFS quota (microseconds)" };

    public Option<string?> CpuShares { get; } = new("--cpu-shares", "-c") { Description = "CPU shares (relative weight)" };

    public Option<string?> CpusetCpus { get; } = new("--cpuset-cpus") { Description = "CPUs in which to allow execution (0-3, 0,1)" };

    public Option<string?> PidsLimit { get; } = new("--pids-limit") { Description = "Tune container pids limit (-1 for unlimited)" };

    public Option<string?> BlkioWeight { get; } = new("--blkio-weight") { Description = "Block IO weight (relative weight), between 10 and 1000, or 0 to disable" };

    public Option<string?> MemoryReservation { get; } = new("--memory-reservation") { Description = "Memory soft limit (format: <number>[<unit>], where unit = b, k, m or g)" };

    public Option<string?> MemorySwappiness { get; } = new("--memory-swappiness") { Description = "Tune container memory swappiness (0 to 100, or -1 for system default; cgroup v1)" };

    public Option<string?> CpusetMems { get; } = new("--cpuset-mems") { Description = "Memory nodes (MEMs) in which to allow execution (0-3, 0,1). Only effective on NUMA systems." };

    /// <summary>run/create only: podman's update has no --oom-kill-disable.</summary>
    public Option<bool> OomKillDisable { get; } = new("--oom-kill-disable") { Description = "Disable OOM Killer (cgroup v1)" };

    /// <param name="create">run/create, which also take --oom-kill-disable.</param>
    public void AddTo(Command command, bool create = true)
    {
        foreach (Option option in new Option[] { Memory, MemorySwap, MemoryReservation, MemorySwappiness, Cpus, CpuPeriod, CpuQuota, CpuShares, CpusetCpus, CpusetMems, PidsLimit, BlkioWeight })
        {
            command.Options.Add(option);
        }

        if (create)
        {
            command.Options.Add(OomKillDisable);
        }
    }

    public ResourceFlags Read(ParseResult parse) => new()
    {
        Memory = parse.GetValue(Memory),
        MemorySwap = parse.GetValue(MemorySwap),
        Cpus = parse.GetValue(Cpus),
        CpuPeriod = parse.GetValue(CpuPeriod),
        CpuQuota = parse.GetValue(CpuQuota),
        CpuShares = parse.GetValue(CpuShares),
        CpusetCpus = parse.GetValue(CpusetCpus),
        PidsLimit = parse.GetValue(PidsLimit),
        BlkioWeight = parse.GetValue(BlkioWeight),
        MemoryReservation = parse.GetValue(MemoryReservation),
        MemorySwappiness = parse.GetValue(MemorySwappiness),
        CpusetMems = parse.GetValue(CpusetMems),
        OomKillDisable = parse.GetResult(OomKillDisable) is not null && parse.GetValue(OomKillDisable),
    };

    /// <summary>Parses the flags with docker's validation rules against this machine's cpu count.</summary>
    public CgroupResources Parse(ParseResult parse) => ResourceFlagParser.Parse(Read(parse), Environment.ProcessorCount, MemoryNodes.Online());
}
