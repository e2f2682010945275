using System.Runtime.InteropServices;

namespace Skiff.Runtime.Native;

/// <summary>bpf(2) for the cgroup v2 device filter: load a BPF_PROG_TYPE_CGROUP_DEVICE program and attach it to a group.</summary>
internal static unsafe partial class Libc
{
    public static long SYS_bpf => IsArm64 ? 280 : 321;

    public const int BPF_PROG_LOAD = 5;
    public const int BPF_PROG_ATTACH = 8;
    public const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public const uint BPF_CGROUP_DEVICE = 6;
    public const uint BPF_F_ALLOW_MULTI = 2;

    /// <summary>The prefix of union bpf_attr that BPF_PROG_LOAD reads (include/uapi/linux/bpf.h); the rest stays zero.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BpfProgLoadAttr
    {
        public uint ProgType;
        public uint InsnCount;
        public ulong Insns;
        public ulong License;
        public uint LogLevel;
        public uint LogSize;
        public ulong LogBuffer;
        public uint KernelVersion;
        public uint ProgFlags;
        public fixed byte ProgName[16];
        public uint ProgIfIndex;
        public uint ExpectedAttachType;
        public fixed byte Padding[56];
    }

    /// <summary>The prefix of union bpf_attr that BPF_PROG_ATTACH reads.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BpfProgAttachAttr
    {
        public uint TargetFd;
        public uint AttachBpfFd;
        public uint AttachType;
        public uint AttachFlags;
        public uint ReplaceBpfFd;
        public fixed byte Padding[12];
    }

    public static int bpf_prog_load(BpfProgLoadAttr* attr) => (int)syscall(SYS_bpf, BPF_PROG_LOAD, (long)attr, sizeof(BpfProgLoadAttr), 0, 0);

    public static int bpf_prog_attach(BpfProgAttachAttr* attr) => (int)syscall(SYS_bpf, BPF_PROG_ATTACH, (long)attr, sizeof(BpfProgAttachAttr), 0, 0);
}
