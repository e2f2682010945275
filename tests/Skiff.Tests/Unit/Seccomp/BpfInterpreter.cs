using Skiff.Runtime.Seccomp;

namespace Skiff.Tests.Unit.Seccomp;

/// <summary>Runs a classic BPF seccomp program on a seccomp_data the test describes, as the kernel would.</summary>
internal static class BpfInterpreter
{
    public static uint Run(IReadOnlyList<BpfInstruction> program, uint arch, int nr, params ulong[] args)
    {
        byte[] data = new byte[64];
        BitConverter.TryWriteBytes(data.AsSpan(0), nr);
        BitConverter.TryWriteBytes(data.AsSpan(4), arch);
        for (int i = 0; i < args.Length; i++)
        {
            BitConverter.TryWriteBytes(data.AsSpan(16 + (8 * i)), args[i]);
        }

        uint a = 0;
        int pc = 0;
        while (true)
        {
            Assert.InRange(pc, 0, program.Count - 1);
            BpfInstruction insn = program[pc];
            pc++;
            switch (insn.Code)
            {
                case BpfInstruction.LoadWordAbsolute:
                    Assert.True(insn.K % 4 == 0 && insn.K < 64, $"bad load offset {insn.K}");
                    a = BitConverter.ToUInt32(data, (int)insn.K);
                    break;
                case BpfInstruction.AndConstant:
                    a &= insn.K;
                    break;
                case BpfInstruction.JumpAlways:
                    pc += (int)insn.K;
                    break;
                case BpfInstruction.JumpEqual:
                    pc += a == insn.K ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfInstruction.JumpGreater:
                    pc += a > insn.K ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfInstruction.JumpGreaterOrEqual:
                    pc += a >= insn.K ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfInstruction.Return:
                    return insn.K;
                default:
                    Assert.Fail($"unknown BPF code 0x{insn.Code:x}");
                    break;
            }
        }
    }
}
