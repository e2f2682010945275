using System.Runtime.InteropServices;
using Skiff.Runtime.Seccomp;

namespace Skiff.Tests.Unit.Seccomp;

public sealed class SyscallTableTests
{
    [Theory]
    [InlineData(Architecture.X64, "read", 0)]
    [InlineData(Architecture.X64, "openat", 257)]
    [InlineData(Architecture.X64, "set_mempolicy_home_node", 450)]
    [InlineData(Architecture.Arm64, "read", 63)]
    [InlineData(Architecture.Arm64, "openat", 56)]
    [InlineData(Architecture.Arm64, "clone3", 435)]
    public void Names_have_their_architecture_s_numbers(Architecture architecture, string name, int expected)
    {
        Assert.True(SyscallTable.TryGetNumber(architecture, name, out int number));
        Assert.Equal(expected, number);
    }

    [Theory]
    [InlineData(Architecture.Arm64, "open")]
    [InlineData(Architecture.Arm64, "fork")]
    [InlineData(Architecture.X64, "no_such_call")]
    [InlineData(Architecture.X64, "")]
    [InlineData(Architecture.X64, "READ")]
    [InlineData(Architecture.Arm, "read")]
    public void Names_an_architecture_lacks_have_no_number(Architecture architecture, string name)
    {
        Assert.False(SyscallTable.TryGetNumber(architecture, name, out _));
    }
}
