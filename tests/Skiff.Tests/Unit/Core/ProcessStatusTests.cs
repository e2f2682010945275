using System.Globalization;
using Skiff.Core.Processes;

namespace Skiff.Tests.Unit.Core;

/// <summary>ProcessStatus reads the capability lines of this process's /proc/self/status.</summary>
public sealed class ProcessStatusTests
{
    [Theory]
    [InlineData("CapInh")]
    [InlineData("CapEff")]
    [InlineData("CapBnd")]
    [InlineData("CapAmb")]
    public void A_capability_line_reads_as_the_mask_the_file_shows(string field)
    {
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        ulong expected = ulong.Parse(line[(field.Length + 1)..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        Assert.Equal(expected, ProcessStatus.CapabilityMask(field));
    }

    [Fact]
    public void A_missing_line_is_null() => Assert.Null(ProcessStatus.CapabilityMask("CapNone"));

    [Fact]
    public void A_line_that_is_not_a_mask_is_null() => Assert.Null(ProcessStatus.CapabilityMask("State"));
}
