using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Lifecycle;

/// <summary>One sample of a running container's resource use: its cgroup counters and its network namespace's byte counters.</summary>
public sealed record ContainerUsage(CgroupStats Cgroup, ulong NetReceived, ulong NetSent, long TimestampTicks);
