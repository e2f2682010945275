using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary><c>logs --since/--until</c> against the records' own times, in both log drivers, as podman 4.3 bounds them (both exclusive).</summary>
[Trait("Category", "E2E")]
public sealed class LogsBoundsTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Until_leaves_out_the_records_after_its_bound(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        foreach (string driver in new[] { "k8s-file", "json-file" })
        {
            // The sleeps only keep the three records apart in time (one read of the pipe would give them one timestamp).
            (await skiff.RunAsync("run", "--name", driver, "--log-driver", driver, "--rootfs", rootfs,
                "sh", "-c", "echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three")).AssertSuccess();
            ProcessResult stamped = (await skiff.RunAsync("logs", "-t", driver)).AssertSuccess();
            string[] times = [.. (stamped.Stdout + stamped.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Order(StringComparer.Ordinal)];
            Assert.Equal(3, times.Length);

            ProcessResult first = (await skiff.RunAsync("logs", "--until", times[1], driver)).AssertSuccess();
            Assert.Equal("one\n", first.Stdout);
            Assert.Empty(first.Stderr);
            ProcessResult middle = (await skiff.RunAsync("logs", "--since", times[0], "--until", times[2], driver)).AssertSuccess();
            Assert.Empty(middle.Stdout);
            Assert.Equal("two\n", middle.Stderr);
            Assert.Equal($"{times[0]} one\n", (await skiff.RunAsync("logs", "-t", "--until", times[1], driver)).AssertSuccess().Stdout);
            Assert.Empty((await skiff.RunAsync("logs", "--tail", "1", "--until", times[2], driver)).AssertSuccess().Stdout);
            Assert.Empty((await skiff.RunAsync("logs", "--since", times[1], "--until", times[1], driver)).AssertSuccess().Stderr);

            long unix = DateTimeOffset.Parse(times[1][..19] + "Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds() - 1;
            ProcessResult beforeUnix = (await skiff.RunAsync("logs", "--until", unix.ToString(CultureInfo.InvariantCulture), driver)).AssertSuccess();
            Assert.DoesNotContain("three", beforeUnix.Stdout);

            // A duration is relative to now and points forward for --until: everything logged so far.
            Assert.Equal("one\nthree\n", (await skiff.RunAsync("logs", "--until", "1h30m", driver)).AssertSuccess().Stdout);
            Assert.Empty((await skiff.RunAsync("logs", "--until", "-1h", driver)).AssertSuccess().Stdout);
        }

        (await skiff.RunAsync("logs", "--until", "garbage", "k8s-file")).AssertError(125, "parsing --until \"garbage\": unable to interpret time value");
        (await skiff.RunAsync("rm", "k8s-file", "json-file")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Follow_stops_once_past_until(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "ticker", "--rootfs", rootfs, "sh", "-c", "echo start; while true; do sleep 0.1; done")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "ticker")).Stdout.Contains("start"));

        // Without the bound these would follow the running container until the test's timeout.
        Assert.Equal("start\n", (await skiff.RunAsync("logs", "-f", "--until", "1s", "ticker")).AssertSuccess().Stdout);
        string past = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Empty((await skiff.RunAsync("logs", "-f", "--until", past, "ticker")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", "ticker")).AssertSuccess();
    }
}
