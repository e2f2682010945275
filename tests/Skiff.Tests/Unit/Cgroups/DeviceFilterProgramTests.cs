using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>
/// The cgroup v2 device filter, run on a small interpreter of the instructions it uses (the kernel's verifier and the
/// real attachment are tested as root in E2E/Cgroups/DeviceFilterRootTests).
/// </summary>
public class DeviceFilterProgramTests
{
    private const int Mknod = 1, Read = 2, Write = 4;

    private static readonly DeviceRule[] Container =
    [
        DeviceRule.DenyAll,
        new(true, 'c', 1, 200, "r"),
        new(true, 'b', 7, null, "rw"),
        new(false, 'c', 1, 5, "w"),
        .. DeviceRule.Defaults,
    ];

    [Theory]
    [InlineData('c', 1, 3, Read | Write, true)]      // /dev/null, a default
    [InlineData('c', 1, 200, Read, true)]            // the rule's access
    [InlineData('c', 1, 200, Read | Write, false)]   // more than the rule gives
    [InlineData('c', 1, 200, Write, false)]
    [InlineData('c', 1, 201, Read, false)]           // denied by the first rule
    [InlineData('b', 7, 3, Read | Write, true)]      // any minor
    [InlineData('c', 7, 3, Read, false)]             // the type matters
    [InlineData('b', 8, 0, Mknod, true)]             // mknod of any node, a default
    [InlineData('b', 8, 0, Read, false)]
    [InlineData('c', 136, 4, Read | Write, true)]    // a pty
    [InlineData('c', 10, 200, Read | Write, true)]   // /dev/net/tun
    [InlineData('c', 1, 5, Read, true)]              // /dev/zero: the defaults come after the deny and win, as on v1
    public void Later_rules_override_earlier_ones(char type, int major, int minor, int access, bool allowed) =>
        Assert.Equal(allowed, Run(DeviceFilterProgram.Compile(Container), type, major, minor, access));

    [Fact]
    public void A_deny_after_an_allow_takes_the_access_it_names()
    {
        byte[] program = DeviceFilterProgram.Compile([DeviceRule.AllowAll, new(false, 'c', 1, 5, "w")]);
        Assert.True(Run(program, 'c', 1, 5, Read));
        Assert.False(Run(program, 'c', 1, 5, Read | Write));
        Assert.True(Run(program, 'b', 1, 5, Write));
    }

    [Fact]
    public void Privileged_allows_everything_and_no_rules_allow_everything()
    {
        Assert.True(Run(DeviceFilterProgram.Compile([DeviceRule.DenyAll, DeviceRule.AllowAll]), 'b', 8, 0, Read | Write | Mknod));
        Assert.True(Run(DeviceFilterProgram.Compile([]), 'c', 1, 1, Read));
        Assert.False(Run(DeviceFilterProgram.Compile([DeviceRule.DenyAll]), 'c', 1, 3, Read));
    }

    /// <summary>Executes the program on struct bpf_cgroup_dev_ctx; only the opcodes the compiler emits.</summary>
    private static bool Run(byte[] program, char type, int major, int minor, int access)
    {
        uint[] ctx = [(uint)((access << 16) | (type == 'b' ? 1 : 2)), (uint)major, (uint)minor];
        var r = new ulong[11];
        for (int pc = 0; ; pc++)
        {
            Assert.InRange(pc, 0, (program.Length / 8) - 1);
            ReadOnlySpan<byte> insn = program.AsSpan(pc * 8, 8);
            int dst = insn[1] & 0xf, src = insn[1] >> 4;
            short off = BitConverter.ToInt16(insn[2..4]);
            int imm = BitConverter.ToInt32(insn[4..8]);
            switch (insn[0])
            {
                case 0x61: Assert.Equal(1, src); r[dst] = ctx[off / 4]; break;
                case 0x54: r[dst] = (uint)r[dst] & (uint)imm; break;
                case 0x74: r[dst] = (uint)r[dst] >> imm; break;
                case 0xbc: r[dst] = (uint)r[src]; break;
                case 0xb7: r[dst] = (ulong)(long)imm; break;
                case 0x55: if (r[dst] != (ulong)(long)imm) { pc += off; } break;
                case 0x15: if (r[dst] == (ulong)(long)imm) { pc += off; } break;
                case 0x95: return r[0] == 1;
                default: Assert.Fail($"unexpected opcode 0x{insn[0]:x2} at {pc}"); break;
            }
        }
    }
}
