using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// <c>ps --watch</c>, as podman 4.3: a listing every N seconds until SIGINT (exit 1), no screen clearing when the output is not a
/// terminal. (The clearing on a terminal was checked by hand under script(1): script's end-of-input handling made it flaky here.)
/// </summary>
[Trait("Category", "E2E")]
public sealed class PsWatchTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Watch_lists_again_until_interrupted(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("create", "--name", "watched", "--rootfs", rootfs, "true")).AssertSuccess();
        string flags = string.Join(' ', skiff.StoreFlags());
        string listing = Path.Combine(skiff.Sandbox.Work, "listing");

        // Interrupted once two listings are out; set -m: a background job of a shell without job control ignores SIGINT.
        // The file exists before the job starts, so the loop never reads a missing one and ends early.
        string watch = $"set -m; : > {listing}; {skiff.Binary} {flags} ps -a -w 1 --format '{{{{.Names}}}}' > {listing} & p=$!; "
            + $"until [ \"$(grep -c watched {listing})\" -ge 2 ]; do sleep 0.1; done; kill -INT $p; wait $p; echo rc=$?";
        ProcessResult piped = (await skiff.ExecAsync("bash", ["-c", watch], null, TimeSpan.FromMinutes(1))).AssertSuccess();
        Assert.Equal("rc=1\n", piped.Stdout);
        string text = File.ReadAllText(listing);
        Assert.StartsWith("watched\nwatched\n", text);
        Assert.DoesNotContain("\e[2J", text);

        // -q and JSON list once, as podman.
        Assert.Single((await skiff.RunAsync("ps", "-a", "-q", "-w", "1")).AssertSuccess().StdoutLines);
        Assert.StartsWith("[", (await skiff.RunAsync("ps", "-a", "--format", "json", "-w", "1")).AssertSuccess().Stdout);
        (await skiff.RunAsync("ps", "-w", "x")).AssertExitCode(125);
        (await skiff.RunAsync("rm", "watched")).AssertSuccess();
    }
}
