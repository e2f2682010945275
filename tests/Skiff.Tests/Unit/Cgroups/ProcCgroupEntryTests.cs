using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

public class ProcCgroupEntryTests
{
    [Fact]
    public void Parses_v1_named_and_unified_lines_and_skips_malformed_ones()
    {
        const string Text = "9:name=systemd:/user.slice\n4:memory:/a/b\ngarbage\n3:cpu:relative\n0::/user.slice/session-2.scope\n";

        IReadOnlyList<ProcCgroupEntry> entries = ProcCgroupEntry.Parse(Text);

        Assert.Equal(3, entries.Count);
        Assert.False(entries[0].IsV1Controller);
        Assert.False(entries[0].IsUnified);
        Assert.True(entries[1].IsV1Controller);
        Assert.Equal("/a/b", entries[1].Path);
        Assert.True(entries[2].IsUnified);
        Assert.Equal("/user.slice/session-2.scope", ProcCgroupEntry.UnifiedPath(Text));
    }

    [Fact]
    public void A_path_may_contain_colons_and_a_v1_only_layout_has_no_unified_path()
    {
        Assert.Equal("/a:b", ProcCgroupEntry.UnifiedPath("0::/a:b\n"));
        Assert.Null(ProcCgroupEntry.UnifiedPath("4:memory:/x\n"));
        Assert.Null(ProcCgroupEntry.ReadUnifiedPath("/nonexistent/proc/cgroup"));
    }
}
