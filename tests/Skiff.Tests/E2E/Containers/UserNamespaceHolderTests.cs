using System.Globalization;
using Xunit.Abstractions;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// Rootless commands join one per-user user namespace kept by a holder process (podman's pause process),
/// recorded in $XDG_RUNTIME_DIR/skiff/pause.pid: reused by every command, replaced when killed or when its
/// recorded maps are not the user's, stopped by <c>system migrate</c>; containers started in an earlier
/// holder's namespace keep running and can still be exec'd into, stopped and removed.
/// </summary>
[Trait("Category", "E2E")]
public sealed class UserNamespaceHolderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Commands_and_their_containers_share_the_holders_user_namespace()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        Holder first = ReadHolder(skiff);
        Assert.Equal("skiff-pause", Command(first.Pid));

        for (int i = 0; i < 2; i++)
        {
            ProcessResult run = (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "readlink", "/proc/self/ns/user")).AssertSuccess();
            Assert.Equal(first.UserNamespace, run.Stdout.Trim());
        }

        Assert.Equal(first, ReadHolder(skiff));

        // The holder keeps nothing of the command that started it open (a caller reading that command's
        // output would wait for ever), only /dev/null as stdio.
        Assert.Equal("0 1 2", string.Join(" ", Directory.GetFiles($"/proc/{first.Pid}/fd").Select(Path.GetFileName).Order()));
        Assert.All(Directory.GetFiles($"/proc/{first.Pid}/fd"), fd => Assert.Equal("/dev/null", new FileInfo(fd).LinkTarget));
    }

    [Fact]
    public async Task A_killed_holder_is_replaced_and_containers_of_the_old_namespace_keep_working()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "-d", "--name", "older", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();
        Holder killed = ReadHolder(skiff);
        KillAndWait(killed.Pid);

        ProcessResult run = (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "readlink", "/proc/self/ns/user")).AssertSuccess();
        Holder replacement = ReadHolder(skiff);
        Assert.NotEqual(killed.Pid, replacement.Pid);
        Assert.NotEqual(killed.UserNamespace, replacement.UserNamespace);
        Assert.Equal(replacement.UserNamespace, run.Stdout.Trim());
        Assert.Equal("skiff-pause", Command(replacement.Pid));

        // The container started before keeps its namespace (its processes keep it alive).
        ProcessResult exec = (await skiff.RunAsync("exec", "older", "readlink", "/proc/self/ns/user")).AssertSuccess();
        Assert.Equal(killed.UserNamespace, exec.Stdout.Trim());
        Assert.Equal("running", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "older")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("stop", "-t", "1", "older")).AssertSuccess();
        (await skiff.RunAsync("rm", "older")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Fact]
    public async Task A_holder_recorded_with_other_maps_is_replaced()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        Holder old = ReadHolder(skiff);

        // As if /etc/subuid had changed since the holder started: its recorded maps are not the user's, and the
        // files' size and mtime (what the native entry stage compares before joining) are not those recorded.
        string file = skiff.Sandbox.UserNamespaceHolderFile;
        string text = File.ReadAllText(file);
        Assert.Contains("\nuid 1 ", text, StringComparison.Ordinal);
        string[] lines = text.Replace("\nuid 1 ", "\nuid 2 ", StringComparison.Ordinal).Split('\n');
        Assert.StartsWith("subids ", lines[3], StringComparison.Ordinal);
        lines[3] = "subids 1:1 1:1";
        File.WriteAllText(file, string.Join('\n', lines));

        (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "true")).AssertSuccess();
        Holder replacement = ReadHolder(skiff);
        Assert.NotEqual(old.Pid, replacement.Pid);
        await WaitUntilAsync(() => !Directory.Exists($"/proc/{old.Pid}"));
        Assert.False(Directory.Exists($"/proc/{old.Pid}"), "the holder with the old maps still runs");
        Assert.DoesNotContain("\nuid 2 ", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_holder_whose_maps_still_hold_keeps_running_and_its_record_takes_the_files_new_stamps()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        Holder holder = ReadHolder(skiff);

        // As when /etc/subuid changed for another user: the stamps differ, this user's maps do not. The native
        // entry stage no longer joins (the stamps differ), so the command checks the maps, keeps the holder and
        // records the files' current stamps, so the next command joins in the entry stage again.
        string file = skiff.Sandbox.UserNamespaceHolderFile;
        string[] lines = File.ReadAllText(file).Split('\n');
        string stamps = lines[3];
        Assert.StartsWith("subids ", stamps, StringComparison.Ordinal);
        lines[3] = "subids 1:1 1:1";
        File.WriteAllText(file, string.Join('\n', lines));

        ProcessResult run = (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "readlink", "/proc/self/ns/user")).AssertSuccess();
        Assert.Equal(holder, ReadHolder(skiff));
        Assert.Equal(holder.UserNamespace, run.Stdout.Trim());
        Assert.Equal(stamps, File.ReadAllText(file).Split('\n')[3]);
    }

    [Fact]
    public async Task System_migrate_stops_the_holder_and_never_signals_another_process_of_a_recycled_pid()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        Holder holder = ReadHolder(skiff);
        (await skiff.RunAsync("system", "migrate")).AssertSuccess();
        await WaitUntilAsync(() => !Directory.Exists($"/proc/{holder.Pid}"));
        Assert.False(Directory.Exists($"/proc/{holder.Pid}"), "system migrate left the holder running");
        Assert.False(File.Exists(skiff.Sandbox.UserNamespaceHolderFile));
        (await skiff.RunAsync("system", "migrate")).AssertSuccess();

        // A pid file naming a live process of the same user that is not the holder (its pid recycled).
        ProcessResult started = (await skiff.ExecAsync("sh", "-c", "sleep 1000 >/dev/null 2>&1 </dev/null & echo $!")).AssertSuccess();
        int stranger = int.Parse(started.Stdout.Trim(), CultureInfo.InvariantCulture);
        try
        {
            string stat = File.ReadAllText($"/proc/{stranger}/stat");
            string start = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
            File.WriteAllText(
                skiff.Sandbox.UserNamespaceHolderFile,
                $"{stranger}\nstart {start}\nuserns user:[1]\nsubids 1:1 1:1\nuid 0 {skiff.Sandbox.User!.Uid} 1\n");
            (await skiff.RunAsync("system", "migrate")).AssertSuccess();
            (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "true")).AssertSuccess();
            Assert.True(Directory.Exists($"/proc/{stranger}"), "a process that is not the holder was killed");
            Assert.NotEqual(stranger, ReadHolder(skiff).Pid);
        }
        finally
        {
            KillAndWait(stranger);
        }
    }

    [Fact]
    public async Task A_holder_whose_record_is_removed_ends_by_itself()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        Holder holder = ReadHolder(skiff);

        // As when the runtime directory is deleted (a logout, a removed sandbox): nobody could find it again.
        File.Delete(skiff.Sandbox.UserNamespaceHolderFile);
        for (int attempt = 0; attempt < 160 && Directory.Exists($"/proc/{holder.Pid}") && Command(holder.Pid) == "skiff-pause"; attempt++)
        {
            await Task.Delay(250);
        }

        Assert.False(Directory.Exists($"/proc/{holder.Pid}") && ProcessState(holder.Pid) != "Z", "the holder outlived its record");
        (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "true")).AssertSuccess();
        Assert.NotEqual(holder.Pid, ReadHolder(skiff).Pid);
    }

    private static string ProcessState(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
        }
        catch (IOException)
        {
            return "gone";
        }
    }

    private sealed record Holder(int Pid, string UserNamespace);

    private static Holder ReadHolder(SkiffCli skiff)
    {
        string[] lines = File.ReadAllLines(skiff.Sandbox.UserNamespaceHolderFile);
        Assert.StartsWith("userns ", lines[2], StringComparison.Ordinal);
        return new Holder(int.Parse(lines[0], CultureInfo.InvariantCulture), lines[2]["userns ".Length..]);
    }

    private static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "gone";
        }
    }

    private static void KillAndWait(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            return;
        }

        for (int attempt = 0; attempt < 200 && Directory.Exists($"/proc/{pid}"); attempt++)
        {
            Thread.Sleep(25);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int attempt = 0; attempt < 200 && !condition(); attempt++)
        {
            await Task.Delay(25);
        }
    }
}
