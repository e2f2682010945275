using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>
/// Resource limits on real containers (published binary, default runtime): enforced as root on this
/// machine's cgroup v1 controllers, refused with a reason rootless (cgroup v1 cannot be delegated).
/// </summary>
[Trait("Category", "E2E")]
public sealed class ContainerLimitsTests(ITestOutputHelper output)
{
    private const string V1 = "/sys/fs/cgroup";

    private async Task<SkiffCli> RootSkiffAsync()
    {
        Assert.True(TestEnvironment.IsRoot, "limit tests need root (tests/run.sh runs them as root)");
        var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        return skiff;
    }

    private static async Task<string> IdOfAsync(SkiffCli skiff, string name) =>
        (await skiff.RunAsync("inspect", "--format", "{{.Id}}", name)).AssertSuccess().Stdout.Trim();

    [Fact]
    public async Task Memory_limit_kills_an_allocating_process_with_137_and_records_OOMKilled()
    {
        using SkiffCli skiff = await RootSkiffAsync();
        // dd fills a 128 MiB buffer: well over the 32 MiB limit (and the 64 MiB memory+swap default).
        (await skiff.RunAsync("run", "--name", "oom", "--memory", "32m", "busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"))
            .AssertExitCode(137);
        string id = await IdOfAsync(skiff, "oom");
        Assert.Equal("true 137", (await skiff.RunAsync("inspect", "--format", "{{.State.OOMKilled}} {{.State.ExitCode}}", "oom")).AssertSuccess().Stdout.Trim());
        Assert.Equal("33554432", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.Memory}}", "oom")).AssertSuccess().Stdout.Trim());
        Assert.False(Directory.Exists($"{V1}/memory/skiff/{id}"), "the container's memory cgroup was left behind");

        // The same program without the limit is not killed: the 137 came from the limit.
        (await skiff.RunAsync("run", "--rm", "busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1")).AssertSuccess();
        (await skiff.RunAsync("run", "--name", "fine", "--memory", "256m", "busybox", "true")).AssertSuccess();
        Assert.Equal("false", (await skiff.RunAsync("inspect", "--format", "{{.State.OOMKilled}}", "fine")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "oom", "fine")).AssertSuccess();
    }

    [Fact]
    public async Task Pids_limit_stops_a_fork_bomb()
    {
        using SkiffCli skiff = await RootSkiffAsync();
        const string bomb = "i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; echo all-forked";
        ProcessResult limited = await skiff.RunAsync("run", "--rm", "--pids-limit", "20", "busybox", "sh", "-c", bomb);
        Assert.NotEqual(0, limited.ExitCode);
        Assert.DoesNotContain("all-forked", limited.Stdout);
        Assert.Contains("can't fork", limited.Stderr);

        ProcessResult roomy = (await skiff.RunAsync("run", "--rm", "--pids-limit", "100", "busybox", "sh", "-c", bomb + "; kill $(jobs -p) 2>/dev/null; true")).AssertSuccess();
        Assert.Contains("all-forked", roomy.Stdout);
    }

    [Fact]
    public async Task Cpus_and_other_limits_are_in_the_cgroup_files_inside_and_out_and_update_changes_them_live()
    {
        using SkiffCli skiff = await RootSkiffAsync();
        (await skiff.RunAsync("run", "-d", "--name", "lim", "--cpus", "0.5", "--cpu-shares", "512", "--cpuset-cpus", "0", "--pids-limit", "50", "--memory", "64m", "busybox", "sleep", "1000")).AssertSuccess();
        string id = await IdOfAsync(skiff, "lim");
        try
        {
            Assert.Equal("50000", File.ReadAllText($"{V1}/cpu/skiff/{id}/cpu.cfs_quota_us").Trim());
            Assert.Equal("100000", File.ReadAllText($"{V1}/cpu/skiff/{id}/cpu.cfs_period_us").Trim());
            Assert.Equal("512", File.ReadAllText($"{V1}/cpu/skiff/{id}/cpu.shares").Trim());
            Assert.Equal("0", File.ReadAllText($"{V1}/cpuset/skiff/{id}/cpuset.cpus").Trim());
            Assert.Equal("50", File.ReadAllText($"{V1}/pids/skiff/{id}/pids.max").Trim());
            Assert.Equal((64L << 20).ToString(), File.ReadAllText($"{V1}/memory/skiff/{id}/memory.limit_in_bytes").Trim());
            Assert.Equal((128L << 20).ToString(), File.ReadAllText($"{V1}/memory/skiff/{id}/memory.memsw.limit_in_bytes").Trim());
            Assert.Equal("500000000 512 50", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}}", "lim")).AssertSuccess().Stdout.Trim());

            // The container's own view, read-only.
            ProcessResult inside = await skiff.RunAsync("run", "--rm", "--cpus", "0.25", "busybox", "sh", "-c", "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us; echo 1 > /sys/fs/cgroup/cpu/cpu.cfs_quota_us && echo WRITABLE");
            Assert.Equal("25000", inside.StdoutLines.First());
            Assert.DoesNotContain("WRITABLE", inside.Stdout);

            (await skiff.RunAsync("update", "--cpus", "1.5", "--pids-limit", "70", "--memory", "96m", "--memory-swap", "200m", "lim")).AssertSuccess();
            Assert.Equal("150000", File.ReadAllText($"{V1}/cpu/skiff/{id}/cpu.cfs_quota_us").Trim());
            Assert.Equal("70", File.ReadAllText($"{V1}/pids/skiff/{id}/pids.max").Trim());
            Assert.Equal((96L << 20).ToString(), File.ReadAllText($"{V1}/memory/skiff/{id}/memory.limit_in_bytes").Trim());
            Assert.Equal((96L << 20).ToString(), (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.Memory}}", "lim")).AssertSuccess().Stdout.Trim());
            (await skiff.RunAsync("update", "--memory", "300m", "lim")).AssertError(125, "memoryswap");
            (await skiff.RunAsync("update", "lim")).AssertError(125, "at least one limit");

            // Restarted after an update, the container gets the new limits.
            (await skiff.RunAsync("stop", "-t", "0", "lim")).AssertSuccess();
            Assert.False(Directory.Exists($"{V1}/cpu/skiff/{id}"), "the stopped container's cgroup was left behind");
            (await skiff.RunAsync("start", "lim")).AssertSuccess();
            Assert.Equal("150000", File.ReadAllText($"{V1}/cpu/skiff/{id}/cpu.cfs_quota_us").Trim());
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "lim")).AssertSuccess();
        }

        Assert.False(Directory.Exists($"{V1}/cpu/skiff/{id}"), "the removed container's cgroup was left behind");
    }

    [Fact]
    public async Task Pause_freezes_every_process_and_unpause_resumes_them()
    {
        using SkiffCli skiff = await RootSkiffAsync();
        (await skiff.RunAsync("run", "-d", "--name", "ticker", "busybox", "sh", "-c", "while true; do echo tick; usleep 20000; done")).AssertSuccess();
        try
        {
            string id = await IdOfAsync(skiff, "ticker");
            (await skiff.RunAsync("pause", "ticker")).AssertSuccess();
            Assert.Equal("FROZEN", File.ReadAllText($"{V1}/freezer/skiff/{id}/freezer.state").Trim());
            Assert.Equal("paused true", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.Paused}}", "ticker")).AssertSuccess().Stdout.Trim());
            // podman 4.3's STATUS for a frozen container.
            Assert.Equal("Paused paused", (await skiff.RunAsync("ps", "--filter", "name=ticker", "--format", "{{.Status}} {{.State}}")).AssertSuccess().Stdout.Trim());
            (await skiff.RunAsync("pause", "ticker")).AssertError(125, "already paused");

            int frozen = (await skiff.RunAsync("logs", "ticker")).AssertSuccess().StdoutLines.Count;
            await Task.Delay(500);
            Assert.Equal(frozen, (await skiff.RunAsync("logs", "ticker")).AssertSuccess().StdoutLines.Count);

            (await skiff.RunAsync("unpause", "ticker")).AssertSuccess();
            Assert.Equal("running", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "ticker")).AssertSuccess().Stdout.Trim());
            int resumed = frozen;
            for (int attempt = 0; attempt < 100 && resumed == frozen; attempt++)
            {
                await Task.Delay(50);
                resumed = (await skiff.RunAsync("logs", "ticker")).AssertSuccess().StdoutLines.Count;
            }

            Assert.True(resumed > frozen, "the container did not resume after unpause");
            (await skiff.RunAsync("unpause", "ticker")).AssertError(125, "not paused");

            // stop works on a paused container (it is thawed after the signal).
            (await skiff.RunAsync("pause", "ticker")).AssertSuccess();
            (await skiff.RunAsync("stop", "-t", "1", "ticker")).AssertSuccess();
            Assert.Equal("exited", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "ticker")).AssertSuccess().Stdout.Trim());
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "ticker")).AssertSuccess();
        }
    }

    [Fact]
    public async Task Stats_shows_moving_cpu_memory_and_pids_numbers()
    {
        using SkiffCli skiff = await RootSkiffAsync();
        (await skiff.RunAsync("run", "-d", "--name", "busy", "--memory", "64m", "busybox", "sh", "-c", "while true; do :; done")).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "idle", "busybox", "sleep", "1000")).AssertSuccess();
        try
        {
            ProcessResult table = (await skiff.RunAsync("stats", "--no-stream")).AssertSuccess();
            Assert.StartsWith("CONTAINER ID   NAME", table.StdoutLines[0]);
            Assert.Contains("MEM USAGE / LIMIT", table.StdoutLines[0]);
            Assert.Equal(3, table.StdoutLines.Count);

            ProcessResult busy = (await skiff.RunAsync("stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.PIDs}}", "busy")).AssertSuccess();
            string[] fields = busy.Stdout.Trim().Split(' ');
            Assert.Equal("busy", fields[0]);
            double cpu = double.Parse(fields[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
            // Not a speed check: on a loaded machine the loop gets little CPU, but never none.
            Assert.True(cpu > 1, $"a busy loop showed {cpu}% CPU");
            Assert.Equal("64MiB", fields[4]);
            Assert.Equal("1", fields[5]);

            ProcessResult json = (await skiff.RunAsync("stats", "--no-stream", "--format", "json", "idle")).AssertSuccess();
            using JsonDocument document = JsonDocument.Parse(json.Stdout);
            JsonElement idle = document.RootElement[0];
            Assert.Equal("idle", idle.GetProperty("Name").GetString());
            double idleCpu = double.Parse(idle.GetProperty("CPUPerc").GetString()!.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(idleCpu < cpu, $"sleep used {idleCpu}% CPU, the busy loop {cpu}%");

            (await skiff.RunAsync("stats", "--no-stream", "no-such-container")).AssertError(125, "no-such-container");
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "busy", "idle")).AssertSuccess();
        }
    }

    [Fact]
    public async Task The_built_in_runtime_enforces_the_same_limits_from_the_bundle()
    {
        using SkiffCli skiff = await RootSkiffAsync();
        (await skiff.RunAsync("run", "--runtime", "skiff", "--name", "oom", "--memory", "32m", "busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"))
            .AssertExitCode(137);
        Assert.Equal("true", (await skiff.RunAsync("inspect", "--format", "{{.State.OOMKilled}}", "oom")).AssertSuccess().Stdout.Trim());
        string id = await IdOfAsync(skiff, "oom");
        Assert.False(Directory.Exists($"{V1}/memory/skiff/{id}"), "the built-in runtime left the container's cgroup behind");

        ProcessResult inside = await skiff.RunAsync(
            "run", "--rm", "--runtime", "skiff", "--cpus", "0.25", "--pids-limit", "30", "busybox", "sh", "-c",
            "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max; ls /sys/fs/cgroup/memory/.. | wc -l; echo 1 > /sys/fs/cgroup/cpu/cpu.cfs_quota_us && echo WRITABLE");
        Assert.Equal(["25000", "30"], inside.StdoutLines.Take(2));
        Assert.DoesNotContain("WRITABLE", inside.Stdout);
        // Only the container's own groups are visible, not the host's hierarchy.
        Assert.DoesNotContain("skiff", (await skiff.RunAsync("run", "--rm", "--runtime", "skiff", "busybox", "ls", "/sys/fs/cgroup/memory")).AssertSuccess().Stdout);

        ProcessResult bomb = await skiff.RunAsync("run", "--rm", "--runtime", "skiff", "--pids-limit", "20", "busybox", "sh", "-c", "i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; echo all-forked");
        Assert.DoesNotContain("all-forked", bomb.Stdout);
        (await skiff.RunAsync("rm", "oom")).AssertSuccess();
    }

    [Fact]
    public async Task Rootless_limits_that_cannot_be_enforced_are_refused_with_the_reason()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        foreach (string[] flag in new[] { new[] { "--memory", "32m" }, ["--pids-limit", "20"], ["--cpus", "0.5"], ["--memory-reservation", "32m"] })
        {
            ProcessResult refused = await skiff.RunAsync(["run", "--rm", .. flag, "busybox", "true"]);
            refused.AssertError(125, $"cannot apply {flag[0]}");
            Assert.Contains("Hint:", refused.Stderr);
        }

        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("run", "-d", "--name", "free", "busybox", "sleep", "1000")).AssertSuccess();
        try
        {
            (await skiff.RunAsync("pause", "free")).AssertError(125, "no cgroup of its own");
            (await skiff.RunAsync("stats", "--no-stream", "free")).AssertError(125, "no cgroup of its own");
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "free")).AssertSuccess();
        }
    }

    [Fact]
    public async Task Memory_reservation_is_the_soft_limit_and_update_changes_it()
    {
        using SkiffCli skiff = await RootSkiffAsync();
        (await skiff.RunAsync("run", "-d", "--name", "soft", "--memory", "64m", "--memory-reservation", "32m", "busybox", "sleep", "1000")).AssertSuccess();
        string id = await IdOfAsync(skiff, "soft");
        try
        {
            Assert.Equal((32L << 20).ToString(), File.ReadAllText($"{V1}/memory/skiff/{id}/memory.soft_limit_in_bytes").Trim());
            Assert.Equal((32L << 20).ToString(), (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.MemoryReservation}}", "soft")).AssertSuccess().Stdout.Trim());

            (await skiff.RunAsync("update", "--memory-reservation", "48m", "soft")).AssertSuccess();
            Assert.Equal((48L << 20).ToString(), File.ReadAllText($"{V1}/memory/skiff/{id}/memory.soft_limit_in_bytes").Trim());
            Assert.Equal((48L << 20).ToString(), (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.MemoryReservation}}", "soft")).AssertSuccess().Stdout.Trim());
            (await skiff.RunAsync("update", "--memory-reservation", "100m", "soft")).AssertError(125, "can not be less than memory reservation");
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "soft")).AssertSuccess();
        }

        (await skiff.RunAsync("run", "--rm", "--memory", "32m", "--memory-reservation", "64m", "busybox", "true")).AssertError(125, "can not be less than memory reservation");
        (await skiff.RunAsync("run", "--rm", "--memory-reservation", "1m", "busybox", "true")).AssertError(125, "minimum memory reservation allowed is 6MB");
    }

    [Fact]
    public async Task Bad_limit_values_are_refused_before_anything_is_created()
    {
        using SkiffCli skiff = await RootSkiffAsync();
        (await skiff.RunAsync("run", "--rm", "--memory", "1k", "busybox", "true")).AssertError(125, "minimum memory limit");
        (await skiff.RunAsync("run", "--rm", "--cpus", "64", "busybox", "true")).AssertError(125, "range of CPUs");
        (await skiff.RunAsync("run", "--rm", "--memory", "lots", "busybox", "true")).AssertError(125, "--memory");
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }
}
