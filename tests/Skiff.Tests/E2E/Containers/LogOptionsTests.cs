using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// run/create --log-opt: max-size rotation by the monitor (and by skiff-relay after the handover), max-file, path=
/// outside the store, tag, and podman's errors for bad options.
/// </summary>
[Trait("Category", "E2E")]
public sealed class LogOptionsTests(ITestOutputHelper output)
{
    /// <summary>About 3 MB of numbered lines of 112 bytes, paced (a pause every 1000 lines) so a follower keeps up.</summary>
    private const int Lines = 27_000;

    private static readonly string Writer =
        $"i=0; while [ $i -lt {Lines} ]; do echo \"$i {new string('x', 100)}\"; i=$((i+1)); if [ $((i % 1000)) = 0 ]; then sleep 0.05; fi; done";

    [Theory, RootAndRootless]
    public async Task Max_size_keeps_one_bounded_file_as_podman_and_logs_shows_what_is_left(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "big", "--log-opt", "max-size=1m", "--rootfs", rootfs, "sh", "-c", Writer)).AssertSuccess();
        Assert.Equal("0", (await skiff.RunAsync(["wait", "big"], stdin: (string?)null, TimeSpan.FromMinutes(2))).AssertSuccess().Stdout.Trim());

        string path = (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.LogConfig.Path}}", "big")).AssertSuccess().Stdout.Trim();
        Assert.InRange(new FileInfo(path).Length, 1, 1_000_000);
        Assert.Equal(["ctr.log"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(f => Path.GetFileName(f)).Where(f => f.StartsWith("ctr.log", StringComparison.Ordinal)));
        List<int> shown = Numbers((await skiff.RunAsync("logs", "big")).AssertSuccess().Stdout);
        AssertConsecutiveToTheEnd(shown);
        Assert.True(shown[0] > 0, "the first lines were rotated away");
        Assert.Equal("1MB", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.LogConfig.Size}}", "big")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "big")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Logs_follow_crosses_rotations_without_losing_or_repeating_a_line(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "rot", "--log-driver", "json-file", "--log-opt", "max-size=1m", "--log-opt", "max-file=3",
            "--rootfs", rootfs, "sh", "-c", Writer)).AssertSuccess();
        ProcessResult followed = (await skiff.RunAsync(["logs", "-f", "rot"], stdin: (string?)null, TimeSpan.FromMinutes(2))).AssertSuccess();

        List<int> seen = Numbers(followed.Stdout);
        AssertConsecutiveToTheEnd(seen);
        // More than one file's worth (a json-file record of these lines is about 170 bytes): it crossed a rotation.
        Assert.True(seen.Count > 1_000_000 / 170, $"followed only {seen.Count} lines");

        string path = (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.LogConfig.Path}}", "rot")).AssertSuccess().Stdout.Trim();
        string[] files = [path, path + ".1", path + ".2"];
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 1_000_000));
        Assert.False(File.Exists(path + ".3"));
        List<int> all = Numbers((await skiff.RunAsync("logs", "rot")).AssertSuccess().Stdout);
        AssertConsecutiveToTheEnd(all);
        Assert.True(all[0] > 0, "the oldest file was dropped");
        Assert.Equal(Enumerable.Range(Lines - 3, 3), Numbers((await skiff.RunAsync("logs", "--tail", "3", "rot")).AssertSuccess().Stdout));
        (await skiff.RunAsync("rm", "rot")).AssertSuccess();
        Assert.All(files, f => Assert.False(File.Exists(f)));
    }

    [Theory, RootAndRootless]
    public async Task Path_puts_the_log_in_a_users_directory_that_rm_leaves_alone(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string logs = Path.Combine(skiff.Sandbox.Work, "logs");
        Directory.CreateDirectory(logs);
        if (rootless)
        {
            File.SetUnixFileMode(logs, (UnixFileMode)Convert.ToInt32("777", 8));
        }

        string file = Path.Combine(logs, "web.log");
        (await skiff.RunAsync("run", "--name", "web", "--log-opt", $"path={file}", "--log-opt", "tag=front", "--log-opt", "max-size=1.5m",
            "--rootfs", rootfs, "echo", "hello")).AssertSuccess();

        Assert.Matches(@"^\S+ stdout F hello\n$", File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("hello\n", (await skiff.RunAsync("logs", "web")).AssertSuccess().Stdout);
        Assert.Equal(
            $"{{\"Type\":\"k8s-file\",\"Config\":null,\"Path\":\"{file}\",\"Tag\":\"front\",\"Size\":\"1.5MB\"}} {file}",
            (await skiff.RunAsync("inspect", "--format", "{{json .HostConfig.LogConfig}} {{.LogPath}}", "web")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("start", "-a", "web")).AssertSuccess();
        Assert.Equal("hello\nhello\n", (await skiff.RunAsync("logs", "web")).AssertSuccess().Stdout);

        (await skiff.RunAsync("rm", "web")).AssertSuccess();
        Assert.True(File.Exists(file), "rm leaves a log the user placed, as podman");

        string nowhere = Path.Combine(logs, "missing", "x.log");
        (await skiff.RunAsync("run", "--rm", "--log-opt", $"path={nowhere}", "--rootfs", rootfs, "true")).AssertError(125, $"cannot open the log file {nowhere}: no such file or directory");
    }

    [Theory, RootAndRootless]
    public async Task Bad_options_are_refused_with_podmans_errors_and_leave_nothing(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);

        (await skiff.RunAsync("run", "--name", "bad", "--log-opt", "bogus", "--rootfs", rootfs, "true")).AssertError(125, "invalid log option \"bogus\"");
        (await skiff.RunAsync("create", "--name", "bad", "--log-opt", "max-size=abc", "--rootfs", rootfs, "true")).AssertError(125, "invalid size: 'abc'");
        (await skiff.RunAsync("create", "--name", "bad", "--log-opt", "max-file=0", "--rootfs", rootfs, "true")).AssertError(125, "max-file");

        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().Stdout.Trim());
        string containers = Path.Combine(skiff.Sandbox.StorageRoot, "containers");
        Assert.Empty(Directory.Exists(containers) ? Directory.GetDirectories(containers).Where(d => Path.GetFileName(d).Length == 64) : []);

        // Any other name with a value is accepted and ignored, as podman.
        (await skiff.RunAsync("create", "--name", "odd", "--log-opt", "labels=a", "--rootfs", rootfs, "true")).AssertSuccess();
        (await skiff.RunAsync("rm", "odd")).AssertSuccess();
    }

    /// <summary>
    /// The lines' numbers. The monitor logs what each read of the pipe brought, so a line can be split into a partial
    /// record and its end; when rotation dropped the file with the start, what is left begins with the end of a
    /// line (as with podman's conmon). Only the first line may be such a remnant, and it is left out.
    /// </summary>
    private static List<int> Numbers(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. lines.Where((line, i) => i > 0 || char.IsAsciiDigit(line[0])).Select(line => int.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture))];
    }

    private static void AssertConsecutiveToTheEnd(List<int> numbers)
    {
        Assert.NotEmpty(numbers);
        Assert.Equal(Lines - 1, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
    }
}
