using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.SystemVerbs;

/// <summary>system df: podman's summary, -v and json over real images, containers (writable layers) and volumes.</summary>
[Trait("Category", "E2E")]
public sealed class SystemDfTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task System_df_counts_images_containers_and_volumes_as_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("volume", "create", "dfvol")).AssertSuccess();
        (await skiff.RunAsync("run", "--name", "done", "-v", "dfvol:/data", "busybox", "sh", "-c",
            "head -c 2000 /dev/zero > /big2 && head -c 3000 /dev/zero > /data/v && chown 1:1 /big2")).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "live", "busybox", "sh", "-c", "head -c 1000 /dev/zero > /big1; touch /ready; exec sleep 1000")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("exec", "live", "test", "-e", "/ready")).ExitCode == 0);

        ProcessResult table = (await skiff.RunAsync("system", "df")).AssertSuccess();
        Assert.Equal("TYPE           TOTAL       ACTIVE      SIZE        RECLAIMABLE", table.StdoutLines[0]);
        Assert.Equal(
            "Images|1|1\nContainers|2|1\nLocal Volumes|1|1\n",
            (await skiff.RunAsync("system", "df", "--format", "{{.Type}}|{{.Total}}|{{.Active}}")).AssertSuccess().Stdout);

        using JsonDocument json = JsonDocument.Parse((await skiff.RunAsync("system", "df", "--format", "json")).AssertSuccess().Stdout);
        JsonElement[] rows = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(["Images", "Containers", "Local Volumes"], rows.Select(r => r.GetProperty("Type").GetString()));
        Assert.Equal(0, rows[0].GetProperty("Reclaimable").GetInt64());
        long containers = rows[1].GetProperty("Size").GetInt64();
        long reclaimable = rows[1].GetProperty("Reclaimable").GetInt64();
        Assert.InRange(reclaimable, 2000, containers - 1000);
        Assert.Equal(3000, rows[2].GetProperty("Size").GetInt64());
        Assert.Equal(0, rows[2].GetProperty("Reclaimable").GetInt64());

        ProcessResult verbose = (await skiff.RunAsync("system", "df", "-v")).AssertSuccess();
        Assert.Equal("Images space usage:", verbose.StdoutLines[0]);
        Assert.Contains(verbose.StdoutLines, l => l.StartsWith("localhost/busybox", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 2", StringComparison.Ordinal));
        Assert.Contains(verbose.StdoutLines, l => l.Contains(" done", StringComparison.Ordinal) && l.Contains("exited", StringComparison.Ordinal));
        Assert.Contains(verbose.StdoutLines, l => l.StartsWith("dfvol ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("3kB", StringComparison.Ordinal));

        (await skiff.RunAsync("system", "df", "--format", "{{.Nope")).AssertExitCode(125);
        (await skiff.RunAsync("rm", "-f", "live", "done")).AssertSuccess();
    }
}
