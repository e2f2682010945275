namespace Skiff.Runtime.Cgroups;

/// <summary>
/// cgroup v1 → v2 weight conversions. cpu.shares (2..262144) maps linearly onto cpu.weight (1..10000)
/// and blkio.weight (10..1000) onto io.weight (1..10000), the mappings crun and runc document for the
/// unified hierarchy (https://github.com/containers/crun/blob/main/crun.1.md#cgroup-v2), so a value set on
/// v1 keeps its relative meaning on v2.
/// </summary>
public static class CgroupWeights
{
    public static ulong SharesToWeight(ulong shares)
    {
        ulong clamped = Math.Clamp(shares, 2UL, 262144UL);
        return 1 + ((clamped - 2) * 9999 / 262142);
    }

    public static ulong BlkioToIoWeight(ushort weight)
    {
        ulong clamped = Math.Clamp((ulong)weight, 10UL, 1000UL);
        return 1 + ((clamped - 10) * 9999 / 990);
    }
}
