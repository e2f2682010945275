namespace Skiff.Runtime.Process;

/// <summary>A process's five capability sets as bit masks (bit N is capability N), from /proc/PID/status.</summary>
public sealed record ProcessCapabilities(ulong Inheritable, ulong Permitted, ulong Effective, ulong Bounding, ulong Ambient);
