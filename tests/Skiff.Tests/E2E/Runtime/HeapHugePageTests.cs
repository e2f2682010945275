using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Runtime;

/// <summary>The published binary puts its young heap on a huge page (YoungHeapHugePage), seen in a skiff that stays a while.</summary>
[Trait("Category", "E2E")]
public sealed class HeapHugePageTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task A_running_skiff_allocates_on_a_huge_page(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = Containers.BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "hp", "--rootfs", rootfs, "sleep", "60")).AssertSuccess();

        // `skiff wait` stays until the container ends; its memory is read meanwhile (rootless, the process read is
        // the one outside the user namespace, a skiff too).
        string wait = string.Join(' ', [skiff.Binary, .. skiff.StoreFlags(), "wait", "hp"]);
        string script = $"{wait} >/dev/null & p=$!; "
            + "for i in $(seq 100); do grep -q 'AnonHugePages: *[1-9]' /proc/$p/smaps_rollup && break; sleep 0.1; done; "
            + "grep AnonHugePages /proc/$p/smaps_rollup; kill $p";
        ProcessResult probe = (await skiff.ExecAsync("sh", "-c", script)).AssertSuccess();
        (await skiff.RunAsync("rm", "-f", "-t", "0", "hp")).AssertSuccess();

        bool never = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal);
        long kilobytes = long.Parse(probe.Stdout.Replace("AnonHugePages:", string.Empty, StringComparison.Ordinal).Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (never)
        {
            Assert.Equal(0, kilobytes);
        }
        else
        {
            Assert.True(kilobytes >= 2048, probe.Stdout);
        }
    }
}
