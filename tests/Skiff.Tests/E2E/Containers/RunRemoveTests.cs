using System.Text.Json;
using Xunit.Abstractions;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// run --rm reports the exit as soon as the container ended and removes the record first; the slow part
/// of the cleanup (unmount, file removal) comes after. What a monitor killed in between leaves is swept.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RunRemoveTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task After_run_rm_returns_the_container_is_gone_and_its_name_free(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        for (int i = 0; i < 3; i++)
        {
            ProcessResult run = (await skiff.RunAsync("run", "--rm", "--name", "again", "busybox", "sh", "-c", "echo out; exit 7")).AssertExitCode(7);
            Assert.Equal("out\n", run.Stdout);
            Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
            (await skiff.RunAsync("inspect", "again")).AssertExitCode(125);
        }

        // Without --rm the exit is recorded when run returns, and the container can start again at once.
        (await skiff.RunAsync("run", "--name", "kept", "busybox", "sh", "-c", "exit 3")).AssertExitCode(3);
        Assert.StartsWith("Exited (3)", (await skiff.RunAsync("ps", "-a", "--format", "{{.Status}}")).AssertSuccess().Stdout);
        (await skiff.RunAsync("start", "-a", "kept")).AssertExitCode(3);
        (await skiff.RunAsync("rm", "kept")).AssertSuccess();

        // The deferred cleanup leaves nothing behind.
        await WaitUntilAsync(() => Leftovers(skiff).Count == 0);
        Assert.Empty(Leftovers(skiff));
        Assert.DoesNotContain(skiff.Sandbox.StorageRoot, File.ReadAllText("/proc/self/mountinfo"));
    }

    [Theory, RootAndRootless]
    public async Task A_run_root_that_cannot_be_written_fails_in_one_line_and_keeps_nothing(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        // Rootless: XDG_RUNTIME_DIR names a directory that does not exist in one the user cannot write (a
        // /run/user/UID that no login session made). As root, which permissions do not stop: a file where the
        // run root's containers directory belongs.
        string runtimeDirectory = skiff.Environment["XDG_RUNTIME_DIR"];
        string blocked = rootless ? Path.Combine(skiff.Sandbox.Path, "root-owned", "1001") : Path.Combine(skiff.Sandbox.RunRoot, "containers");
        if (rootless)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(blocked)!); // root's, 0755
            skiff.Environment["XDG_RUNTIME_DIR"] = blocked;
        }
        else
        {
            Directory.CreateDirectory(skiff.Sandbox.RunRoot);
            if (Directory.Exists(blocked))
            {
                Directory.Delete(blocked, recursive: true);
            }

            File.WriteAllText(blocked, "");
        }

        try
        {
            ProcessResult failed = (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "true")).AssertError(125, "cannot create the run directory");
            Assert.Contains(rootless ? $"{blocked}: permission denied" : $"{blocked}: file exists", failed.Stderr);
            Assert.Contains("Hint:", failed.Stderr);
            Assert.DoesNotContain("   at ", failed.Stderr);
            Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        }
        finally
        {
            if (rootless)
            {
                skiff.Environment["XDG_RUNTIME_DIR"] = runtimeDirectory;
            }
            else
            {
                File.Delete(blocked);
            }
        }

        Assert.Equal("ok\n", (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "echo", "ok")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task The_root_of_an_rm_container_is_a_volatile_overlay(bool rootless)
    {
        // As podman's: its upper directory is deleted after the run, so neither writes nor the unmount sync it.
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string removed = (await skiff.RunAsync("run", "--rm", "busybox", "grep", " / / ", "/proc/self/mountinfo")).AssertSuccess().Stdout;
        Assert.Contains(" - overlay ", removed);
        Assert.Contains("volatile", removed); // ",volatile", or "fsync=volatile" since Linux 6.12

        // A kept container's overlay is not, and mounts again after a volatile one used the same image.
        string kept = (await skiff.RunAsync("run", "--name", "kept", "busybox", "grep", " / / ", "/proc/self/mountinfo")).AssertSuccess().Stdout;
        Assert.DoesNotContain("volatile", kept);
        (await skiff.RunAsync("start", "-a", "kept")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_monitor_killed_during_cleanup_leaves_what_the_next_removal_sweeps(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string id = (await skiff.RunAsync("run", "-d", "--rm", "--name", "victim", "busybox", "sleep", "1000")).AssertSuccess().Stdout.Trim();
        string directory = Path.Combine(skiff.Sandbox.StorageRoot, "containers", id);
        string? cgroup = null;
        using (JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json"))))
        {
            if (config.RootElement.TryGetProperty("cgroupPath", out JsonElement path) && path.ValueKind == JsonValueKind.String)
            {
                cgroup = path.GetString();
            }
        }

        // As root (cgroup v1 here) the container has a group in every controller, which the sweep removes too.
        List<string> groups = CgroupDirectories(cgroup);
        Assert.Equal(rootless, groups.Count == 0);
        using (JsonDocument state = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "state.json"))))
        {
            // The monitor first, so it cannot clean up; then its container.
            Kill(state.RootElement.GetProperty("monitorPid").GetInt32());
            Kill(state.RootElement.GetProperty("pid").GetInt32());
        }

        // What the monitor leaves when killed right after it took the record away (Unlist) and before
        // it unmounted and deleted it: a .removing- directory (with the root still mounted, as root)
        // and the container's writable layer. The name was released with the record.
        string removing = Path.Combine(skiff.Sandbox.StorageRoot, "containers", ".removing-" + id);
        Directory.Move(directory, removing);
        File.Delete(Path.Combine(skiff.Sandbox.StorageRoot, "containers", "names", "victim"));

        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        Assert.NotEqual(0, (await skiff.RunAsync("rm", "victim")).ExitCode);
        (await skiff.RunAsync("run", "--rm", "--name", "victim", "busybox", "true")).AssertSuccess();

        // The next removal (here: the --rm cleanup of the run above) unmounts and deletes the leftover.
        await WaitUntilAsync(() => Leftovers(skiff).Count == 0);
        Assert.Empty(Leftovers(skiff));
        Assert.DoesNotContain(groups, Directory.Exists);
        Assert.DoesNotContain(skiff.Sandbox.StorageRoot, File.ReadAllText("/proc/self/mountinfo"));
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("run", "--rm", "busybox", "true")).AssertSuccess();
    }

    /// <summary>The directories of the cgroup <paramref name="path"/> (relative, as config.json records it) that exist now.</summary>
    private static List<string> CgroupDirectories(string? path) =>
        path is null || !Directory.Exists("/sys/fs/cgroup")
            ? []
            : Directory.EnumerateDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup")
                .Select(controller => Path.Combine(controller, path.TrimStart('/')))
                .Where(Directory.Exists)
                .ToList();

    /// <summary>.removing- directories and container layers left in the store.</summary>
    private static List<string> Leftovers(SkiffCli skiff)
    {
        string containers = Path.Combine(skiff.Sandbox.StorageRoot, "containers");
        string snapshots = Path.Combine(containers, ".snapshots");
        var found = Directory.EnumerateDirectories(containers, ".removing-*").ToList();
        if (Directory.Exists(snapshots))
        {
            found.AddRange(Directory.EnumerateFileSystemEntries(snapshots));
        }

        return found;
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    /// <summary>Polls (the cleanup runs after run returned); the assertion after it is what fails.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int attempt = 0; attempt < 200 && !condition(); attempt++)
        {
            await Task.Delay(50);
        }
    }
}
