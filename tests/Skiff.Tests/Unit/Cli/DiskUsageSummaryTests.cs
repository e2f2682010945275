using Skiff.Cli.Commands.System;
using Skiff.Cli.Output;

namespace Skiff.Tests.Unit.Cli;

public class DiskUsageSummaryTests
{
    [Fact]
    public void Inactive_items_are_reclaimable_and_the_percentage_rounds_as_podman()
    {
        DiskUsageSummary row = DiskUsageSummary.Of("Containers", [(1000, true), (2000, false), (0, false)]);
        Assert.Equal(new DiskUsageSummary("Containers", 3, 1, 3000, 2000), row);
        Assert.Equal("2kB (67%)", row.ReclaimableText);
    }

    [Fact]
    public void Nothing_used_is_zero_percent_not_a_division_by_zero()
    {
        DiskUsageSummary row = DiskUsageSummary.Of("Local Volumes", []);
        Assert.Equal("0B (0%)", row.ReclaimableText);
        Assert.Equal("0B", row.Row()["Size"]);
    }

    [Fact]
    public void The_default_table_matches_podman_4_3()
    {
        IReadOnlyList<DiskUsageSummary> rows =
        [
            DiskUsageSummary.Of("Images", [(2_141_255, true)]),
            DiskUsageSummary.Of("Containers", [(12, false)]),
            DiskUsageSummary.Of("Local Volumes", []),
        ];
        string table = OutputFormat.Parse(null, DiskUsageSummary.DefaultTable, "df")
            .Render(rows.Select(r => (object?)r.Row()), TableHeader.Build(DiskUsageSummary.TypeName, DiskUsageSummary.Fields), TabWriter.Podman());
        Assert.Equal(
            "TYPE           TOTAL       ACTIVE      SIZE        RECLAIMABLE\n" +
            "Images         1           1           2.141MB     0B (0%)\n" +
            "Containers     1           0           12B         12B (100%)\n" +
            "Local Volumes  0           0           0B          0B (0%)\n",
            table);
    }

    [Fact]
    public void Json_carries_byte_counts_under_podmans_names()
    {
        TemplateObject json = DiskUsageSummary.Of("Images", [(5, false)]).Json();
        Assert.Equal("{\"Type\":\"Images\",\"Total\":1,\"Active\":0,\"Size\":5,\"Reclaimable\":5}", JsonOutput.Serialize(json, indented: false));
    }
}
