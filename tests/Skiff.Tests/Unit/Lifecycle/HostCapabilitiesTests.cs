using System.Globalization;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

public sealed class HostCapabilitiesTests
{
    [Fact]
    public void The_bounding_set_is_the_status_files_CapBnd_by_name()
    {
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
        ulong mask = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        IReadOnlyList<string> all = Skiff.Runtime.Spec.Capabilities.All;

        Assert.Equal(Enumerable.Range(0, all.Count).Where(n => (mask & (1UL << n)) != 0).Select(n => all[n]), HostCapabilities.Bounding());
        Assert.Contains("CAP_CHOWN", HostCapabilities.Bounding());
    }
}
