using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Seccomp;

public sealed class SeccompCompilerTests
{
    private const uint X64 = SeccompArchitectures.AuditArchX86_64;
    private const uint EpermReturn = SeccompActions.Errno | 1;

    [Fact]
    public void Default_profile_allows_the_listed_calls_and_denies_the_rest_with_EPERM()
    {
        BpfInstruction[] program = CompileDefault(SpecDefaults.DefaultCapabilities);
        Assert.InRange(program.Length, 100, SeccompCompiler.MaxInstructions);
        Assert.Equal(SeccompActions.Allow, Run(program, "read"));
        Assert.Equal(SeccompActions.Allow, Run(program, "execve"));
        Assert.Equal(SeccompActions.Allow, Run(program, "chroot"));
        Assert.Equal(EpermReturn, Run(program, "unshare"));
        Assert.Equal(EpermReturn, Run(program, "mount"));
        Assert.Equal(EpermReturn, Run(program, "keyctl"));
        Assert.Equal(EpermReturn, Run(program, "kexec_load"));
        Assert.Equal(SeccompActions.Errno | 38, Run(program, "clone3"));
    }

    [Fact]
    public void Default_profile_checks_arguments()
    {
        BpfInstruction[] program = CompileDefault(SpecDefaults.DefaultCapabilities);
        const ulong cloneNewUser = 0x10000000, sigchld = 17;
        Assert.Equal(SeccompActions.Allow, Run(program, "clone", sigchld));
        Assert.Equal(EpermReturn, Run(program, "clone", sigchld | cloneNewUser));
        Assert.Equal(EpermReturn, Run(program, "clone", 0x1_0000_0000UL | cloneNewUser));
        Assert.Equal(SeccompActions.Allow, Run(program, "socket", 2));
        Assert.Equal(EpermReturn, Run(program, "socket", 40));
        Assert.Equal(SeccompActions.Allow, Run(program, "socket", 0x1_0000_0028UL));
        Assert.Equal(SeccompActions.Allow, Run(program, "personality", 0xffffffff));
        Assert.Equal(EpermReturn, Run(program, "personality", 0x1_0000_0000UL));
        Assert.Equal(EpermReturn, Run(program, "personality", 1));
    }

    [Fact]
    public void Capabilities_widen_the_default_profile()
    {
        BpfInstruction[] program = CompileDefault([.. SpecDefaults.DefaultCapabilities, "CAP_SYS_ADMIN"]);
        Assert.Equal(SeccompActions.Allow, Run(program, "unshare"));
        Assert.Equal(SeccompActions.Allow, Run(program, "mount"));
        Assert.Equal(SeccompActions.Allow, Run(program, "clone", 0x10000000));
        Assert.Equal(SeccompActions.Allow, Run(program, "clone3"));
        Assert.Equal(EpermReturn, Run(program, "keyctl"));
    }

    [Fact]
    public void Foreign_architectures_and_x32_calls_are_killed()
    {
        BpfInstruction[] program = CompileDefault(SpecDefaults.DefaultCapabilities);
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(program, 0x40000003 /* AUDIT_ARCH_I386 */, 0));
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(program, X64, 0x40000000 | Number(Architecture.X64, "read")));
    }

    [Theory]
    [InlineData("SCMP_CMP_EQ", 5UL, 0UL, new ulong[] { 5 }, new ulong[] { 4, 6, 0x1_0000_0005 })]
    [InlineData("SCMP_CMP_NE", 5UL, 0UL, new ulong[] { 4, 6, 0x1_0000_0005 }, new ulong[] { 5 })]
    [InlineData("SCMP_CMP_GT", 0x1_0000_0005UL, 0UL, new ulong[] { 0x1_0000_0006, 0x2_0000_0000 }, new ulong[] { 0x1_0000_0005, 0x1_0000_0004, 0xffff_ffff })]
    [InlineData("SCMP_CMP_GE", 0x1_0000_0005UL, 0UL, new ulong[] { 0x1_0000_0005, 0x2_0000_0000 }, new ulong[] { 0x1_0000_0004, 0xffff_ffff })]
    [InlineData("SCMP_CMP_LT", 0x1_0000_0005UL, 0UL, new ulong[] { 0x1_0000_0004, 0xffff_ffff }, new ulong[] { 0x1_0000_0005, 0x2_0000_0000 })]
    [InlineData("SCMP_CMP_LE", 0x1_0000_0005UL, 0UL, new ulong[] { 0x1_0000_0005, 0 }, new ulong[] { 0x1_0000_0006, 0x2_0000_0000 })]
    [InlineData("SCMP_CMP_MASKED_EQ", 0xF0UL, 0x30UL, new ulong[] { 0x30, 0x3F, 0x1_0000_0030 }, new ulong[] { 0x40, 0 })]
    public void Argument_operators_compare_64_bit_values(string op, ulong value, ulong valueTwo, ulong[] matching, ulong[] other)
    {
        var spec = new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new SeccompSyscall { Names = ["write"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 22, Args = [new SeccompArg { Index = 2, Value = value, ValueTwo = valueTwo, Op = op }] }],
        };
        BpfInstruction[] program = SeccompCompiler.Compile(spec, Architecture.X64);
        foreach (ulong argument in matching)
        {
            Assert.Equal(SeccompActions.Errno | 22, Run(program, "write", 0, 0, argument));
        }

        foreach (ulong argument in other)
        {
            Assert.Equal(SeccompActions.Allow, Run(program, "write", 0, 0, argument));
        }
    }

    [Fact]
    public void Rules_apply_in_order_and_all_conditions_must_hold()
    {
        var spec = new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_KILL_PROCESS",
            Syscalls =
            [
                new SeccompSyscall { Names = ["ioctl"], Action = "SCMP_ACT_TRAP", Args = [new SeccompArg { Index = 0, Value = 1, Op = "SCMP_CMP_EQ" }, new SeccompArg { Index = 1, Value = 2, Op = "SCMP_CMP_EQ" }] },
                new SeccompSyscall { Names = ["ioctl", "no_such_call"], Action = "SCMP_ACT_LOG", Args = [new SeccompArg { Index = 0, Value = 1, Op = "SCMP_CMP_EQ" }] },
                new SeccompSyscall { Names = ["getpid"], Action = "SCMP_ACT_ALLOW" },
            ],
        };
        BpfInstruction[] program = SeccompCompiler.Compile(spec, Architecture.X64);
        Assert.Equal(SeccompActions.Trap, Run(program, "ioctl", 1, 2));
        Assert.Equal(SeccompActions.Log, Run(program, "ioctl", 1, 3));
        Assert.Equal(SeccompActions.KillProcess, Run(program, "ioctl", 2, 2));
        Assert.Equal(SeccompActions.Allow, Run(program, "getpid"));
        Assert.Equal(SeccompActions.KillProcess, Run(program, "getppid"));
    }

    [Fact]
    public void Aarch64_has_its_own_numbers()
    {
        BpfInstruction[] program = SeccompCompiler.Compile(
            SeccompProfileResolver.Resolve(SeccompProfileResolver.LoadDefault(), SpecDefaults.DefaultCapabilities, Architecture.Arm64, new Version(6, 1)),
            Architecture.Arm64);
        Assert.Equal(EpermReturn, BpfInterpreter.Run(program, SeccompArchitectures.AuditArchAarch64, Number(Architecture.Arm64, "unshare")));
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(program, SeccompArchitectures.AuditArchAarch64, Number(Architecture.Arm64, "openat")));
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(program, X64, Number(Architecture.Arm64, "openat")));
    }

    [Fact]
    public void Unsupported_actions_and_operators_are_errors()
    {
        Assert.Throws<SkiffException>(() => SeccompCompiler.Compile(new SeccompSpec { DefaultAction = "SCMP_ACT_NOTIFY" }, Architecture.X64));
        Assert.Throws<SkiffException>(() => SeccompCompiler.Compile(
            new SeccompSpec { Syscalls = [new SeccompSyscall { Names = ["read"], Action = "SCMP_ACT_ALLOW", Args = [new SeccompArg { Op = "SCMP_CMP_WHATEVER" }] }] },
            Architecture.X64));
    }

    private static BpfInstruction[] CompileDefault(IReadOnlyCollection<string> capabilities) =>
        SeccompCompiler.Compile(SeccompProfileResolver.Resolve(SeccompProfileResolver.LoadDefault(), capabilities, Architecture.X64, new Version(6, 1)), Architecture.X64);

    private static uint Run(BpfInstruction[] program, string name, params ulong[] args) => BpfInterpreter.Run(program, X64, Number(Architecture.X64, name), args);

    private static int Number(Architecture architecture, string name) =>
        SyscallTable.TryGetNumber(architecture, name, out int number) ? number : throw new ArgumentException($"no system call {name} on {architecture}");
}
