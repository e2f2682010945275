namespace Skiff.Runtime.Cgroups;

/// <summary>Which per-device block IO setting a <see cref="BlockIoLimit"/> is.</summary>
public enum BlockIoLimitKind
{
    ReadBps,
    WriteBps,
    ReadIops,
    WriteIops,
    Weight,
}
