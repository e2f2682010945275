namespace Skiff.Runtime.Cgroups;

/// <summary>The resource flags of run/create/update as the user typed them (docker syntax).</summary>
public sealed record ResourceFlags
{
    public string? Memory { get; init; }

    public string? MemorySwap { get; init; }

    public string? Cpus { get; init; }

    public string? CpuPeriod { get; init; }

    public string? CpuQuota { get; init; }

    public string? CpuShares { get; init; }

    public string? CpusetCpus { get; init; }

    public string? PidsLimit { get; init; }

    public string? BlkioWeight { get; init; }

    public string? MemoryReservation { get; init; }

    public string? MemorySwappiness { get; init; }

    public bool OomKillDisable { get; init; }

    public string? CpusetMems { get; init; }
}
