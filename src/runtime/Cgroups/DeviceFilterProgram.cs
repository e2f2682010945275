namespace Skiff.Runtime.Cgroups;

/// <summary>
/// Compiles devices-cgroup rules into the eBPF program cgroup v2 runs on every device access (BPF_PROG_TYPE_CGROUP_DEVICE,
/// include/uapi/linux/bpf.h): it reads struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; } where
/// access_type is (access &lt;&lt; 16) | type, and returns 1 to allow, 0 to deny. Later rules override earlier ones, as
/// the v1 allow/deny lists do: the rules are tested last to first and the first that matches decides; with none,
/// access is allowed (a new v1 group inherits its parent's "a *:* rwm"). An allow rule matches when it grants every
/// access asked for, a deny rule when it denies any of them.
/// </summary>
public static class DeviceFilterProgram
{
    private const byte LdxMemW = 0x61;   // BPF_LDX | BPF_MEM | BPF_W
    private const byte AluAndK = 0x54;   // BPF_ALU | BPF_AND | BPF_K
    private const byte AluRshK = 0x74;   // BPF_ALU | BPF_RSH | BPF_K
    private const byte AluMovX = 0xbc;   // BPF_ALU | BPF_MOV | BPF_X
    private const byte Alu64MovK = 0xb7; // BPF_ALU64 | BPF_MOV | BPF_K
    private const byte JmpJneK = 0x55;   // BPF_JMP | BPF_JNE | BPF_K
    private const byte JmpJeqK = 0x15;   // BPF_JMP | BPF_JEQ | BPF_K
    private const byte Exit = 0x95;      // BPF_JMP | BPF_EXIT

    // Registers: r1 the context, then r2 the device type, r3 the access asked, r4 major, r5 minor; r1 is scratch after.
    private const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    /// <summary>The program's instructions, 8 bytes each as the kernel takes them (struct bpf_insn, little-endian).</summary>
    public static byte[] Compile(IReadOnlyList<DeviceRule> rules)
    {
        var program = new List<Instruction>
        {
            new(LdxMemW, R2, R1, 0, 0),
            new(AluAndK, R2, 0, 0, 0xffff),
            new(LdxMemW, R3, R1, 0, 0),
            new(AluRshK, R3, 0, 0, 16),
            new(LdxMemW, R4, R1, 4, 0),
            new(LdxMemW, R5, R1, 8, 0),
        };
        for (int i = rules.Count - 1; i >= 0; i--)
        {
            List<Instruction> block = Block(rules[i]);
            // Every "no match" jump (marked with a negative offset) goes past the block's last instruction.
            for (int j = 0; j < block.Count; j++)
            {
                if (block[j].Offset < 0)
                {
                    block[j] = block[j] with { Offset = (short)(block.Count - j - 1) };
                }
            }

            program.AddRange(block);
            if (block.Count == 2)
            {
                // A rule for every device and access always decides: the verifier refuses code after it as unreachable.
                return Bytes(program);
            }
        }

        program.Add(new(Alu64MovK, R0, 0, 0, 1));
        program.Add(new(Exit, 0, 0, 0, 0));
        return Bytes(program);
    }

    private static byte[] Bytes(List<Instruction> program)
    {
        var bytes = new byte[program.Count * 8];
        for (int i = 0; i < program.Count; i++)
        {
            program[i].WriteTo(bytes.AsSpan(i * 8, 8));
        }

        return bytes;
    }

    private static List<Instruction> Block(DeviceRule rule)
    {
        const short NoMatch = -1;
        var block = new List<Instruction>();
        if (rule.Type != 'a')
        {
            block.Add(new(JmpJneK, R2, 0, NoMatch, rule.Type == 'b' ? 1 : 2));
        }

        int access = Access(rule.Access);
        if (rule.Allow && access != 7)
        {
            // Allowed only when nothing outside the rule's access is asked for.
            block.Add(new(AluMovX, R1, R3, 0, 0));
            block.Add(new(AluAndK, R1, 0, 0, ~access & 7));
            block.Add(new(JmpJneK, R1, 0, NoMatch, 0));
        }
        else if (!rule.Allow && access != 7)
        {
            // Denied when any of the rule's access is asked for.
            block.Add(new(AluMovX, R1, R3, 0, 0));
            block.Add(new(AluAndK, R1, 0, 0, access));
            block.Add(new(JmpJeqK, R1, 0, NoMatch, 0));
        }

        if (rule.Major is { } major)
        {
            block.Add(new(JmpJneK, R4, 0, NoMatch, (int)major));
        }

        if (rule.Minor is { } minor)
        {
            block.Add(new(JmpJneK, R5, 0, NoMatch, (int)minor));
        }

        block.Add(new(Alu64MovK, R0, 0, 0, rule.Allow ? 1 : 0));
        block.Add(new(Exit, 0, 0, 0, 0));
        return block;
    }

    /// <summary>BPF_DEVCG_ACC_MKNOD 1, READ 2, WRITE 4.</summary>
    private static int Access(string access) =>
        (access.Contains('m') ? 1 : 0) | (access.Contains('r') ? 2 : 0) | (access.Contains('w') ? 4 : 0);

    private readonly record struct Instruction(byte Code, byte Destination, byte Source, short Offset, int Immediate)
    {
        public void WriteTo(Span<byte> target)
        {
            target[0] = Code;
            target[1] = (byte)((Source << 4) | Destination);
            BitConverter.TryWriteBytes(target[2..4], Offset);
            BitConverter.TryWriteBytes(target[4..8], Immediate);
        }
    }
}
