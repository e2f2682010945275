using System.Runtime.InteropServices;

namespace Skiff.Runtime.Seccomp;

/// <summary>One classic BPF instruction (struct sock_filter, linux/filter.h): 8 bytes as the kernel reads them.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BpfInstruction(ushort Code, byte JumpTrue, byte JumpFalse, uint K)
{
    public const ushort LoadWordAbsolute = 0x20; // BPF_LD | BPF_W | BPF_ABS
    public const ushort JumpAlways = 0x05; // BPF_JMP | BPF_JA
    public const ushort JumpEqual = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JumpGreater = 0x25; // BPF_JMP | BPF_JGT | BPF_K
    public const ushort JumpGreaterOrEqual = 0x35; // BPF_JMP | BPF_JGE | BPF_K
    public const ushort AndConstant = 0x54; // BPF_ALU | BPF_AND | BPF_K
    public const ushort Return = 0x06; // BPF_RET | BPF_K

    public override string ToString() => $"{{0x{Code:x2}, {JumpTrue}, {JumpFalse}, 0x{K:x8}}}";
}
