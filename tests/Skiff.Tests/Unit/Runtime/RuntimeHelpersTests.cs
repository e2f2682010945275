using Skiff.Core.Errors;
using Skiff.Runtime.Containers;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Runtime;

public class RuntimeHelpersTests
{
    [Theory]
    [InlineData("KILL", 9)]
    [InlineData("SIGTERM", 15)]
    [InlineData("sigusr1", 10)]
    [InlineData("2", 2)]
    [InlineData("RTMIN+2", 36)]
    [InlineData("SIGRTMAX", 64)]
    public void Parses_signals_like_kill(string text, int expected) => Assert.Equal(expected, Signals.Parse(text));

    [Fact]
    public void Unknown_signal_is_an_invalid_argument()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => Signals.Parse("SIGNOPE"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Reads_state_and_start_time_after_a_command_with_parentheses()
    {
        ProcessStat? stat = ProcessStat.Parse("42 (we(ird) name) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100");
        Assert.Equal(new ProcessStat('S', 987654), stat);
        Assert.Null(ProcessStat.Parse("garbage"));
    }

    [Theory]
    [InlineData('Z', 256, "exited with code 1")]
    [InlineData('Z', 9, "was killed by signal 9")]
    [InlineData('Z', 139, "was killed by signal 11 (core dumped)")]
    [InlineData('S', 0, null)]
    public void A_zombies_wait_status_says_how_it_ended(char state, int status, string? expected)
    {
        // The 52 fields of a 6.x kernel's stat line: the exit code is the last.
        string tail = string.Join(' ', Enumerable.Range(0, 48).Select(i => i == 18 ? "987654" : "0"));
        ProcessStat? stat = ProcessStat.Parse($"42 (init) {state} {tail} {status}\n");
        Assert.Equal(987654UL, stat!.Value.StartTime);
        Assert.Equal(status, stat.Value.WaitStatus);
        Assert.Equal(expected, stat.Value.DescribeEnd());
    }

    [Fact]
    public void A_real_zombie_shows_its_exit_code()
    {
        // .NET reaps its own children at once, so the zombie's parent is a shell that has exec'd sleep (it would reap a child that ended before its exec).
        using var parent = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "sh -c 'sleep 0.2; exit 3' & echo $!; exec sleep 10"]) { RedirectStandardOutput = true })!;
        int pid = int.Parse(parent.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);
        ProcessStat? stat = null;
        for (int i = 0; i < 500 && stat?.State != 'Z'; i++)
        {
            Thread.Sleep(10);
            stat = ProcessStat.TryRead(pid);
        }

        parent.Kill();
        Assert.Equal("exited with code 3", stat?.DescribeEnd());
    }

    [Fact]
    public void Reads_a_live_process_and_nothing_for_one_that_is_gone()
    {
        ProcessStat? self = ProcessStat.TryRead(Environment.ProcessId);

        Assert.NotNull(self);
        Assert.Contains(self.Value.State, "RSD");
        Assert.Equal(ProcessStartTime.TryRead(Environment.ProcessId), (long)self.Value.StartTime);
        Assert.Null(ProcessStat.TryRead(int.MaxValue));
        Assert.Null(ProcessStat.TryRead(0));
    }

    [Fact]
    public void Namespace_plan_unshares_new_ones_joins_paths_and_carries_maps()
    {
        var linux = new LinuxSpec
        {
            Namespaces = [new() { Type = "pid" }, new() { Type = "mount" }, new() { Type = "user" }, new() { Type = "network", Path = "/proc/77/ns/net" }],
            UidMappings = [new IdMappingSpec { ContainerId = 0, HostId = 1000, Size = 1 }],
            GidMappings = [new IdMappingSpec { ContainerId = 0, HostId = 1000, Size = 1 }],
        };
        NamespaceRequest request = NamespacePlan.From(linux);
        Assert.Equal(NamespaceKinds.Pid | NamespaceKinds.Mount | NamespaceKinds.User, request.Unshare);
        Assert.Equal("/proc/77/ns/net", request.JoinPaths[NamespaceKinds.Network]);
        Assert.Single(request.JoinPaths);
        Assert.Equal(1000u, request.Maps!.HostUid(0));
    }

    [Fact]
    public void Namespace_paths_may_be_any_bound_file_of_any_process_but_must_be_absolute_and_unique()
    {
        var linux = new LinuxSpec { Namespaces = [new() { Type = "network", Path = "/run/netns/x" }, new() { Type = "ipc", Path = "/proc/5/ns/ipc" }, new() { Type = "mount" }] };
        NamespaceRequest request = NamespacePlan.From(linux);
        Assert.Equal("/run/netns/x", request.JoinPaths[NamespaceKinds.Network]);
        Assert.Equal("/proc/5/ns/ipc", request.JoinPaths[NamespaceKinds.Ipc]);
        Assert.Equal(NamespaceKinds.Mount, request.Unshare);
        var relative = new LinuxSpec { Namespaces = [new() { Type = "network", Path = "netns/x" }] };
        Assert.Contains("netns/x", Assert.Throws<SkiffException>(() => NamespacePlan.From(relative)).Message);
        var twice = new LinuxSpec { Namespaces = [new() { Type = "network" }, new() { Type = "network", Path = "/run/netns/x" }] };
        Assert.Throws<SkiffException>(() => NamespacePlan.From(twice));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("a.b-c_1", true)]
    [InlineData("../x", false)]
    [InlineData("-x", false)]
    [InlineData("a/b", false)]
    [InlineData("A9+x.y_z-1", true)]
    [InlineData("", false)]
    [InlineData(".x", false)]
    [InlineData("_x", false)]
    [InlineData("abc\n", false)]
    [InlineData("a b", false)]
    [InlineData("caf\u00e9", false)]
    [InlineData("\u0661", false)]
    public void Container_ids_cannot_name_other_directories(string id, bool valid)
    {
        if (valid)
        {
            ContainerId.Validate(id);
        }
        else
        {
            Assert.Throws<SkiffException>(() => ContainerId.Validate(id));
        }
    }

    [Fact]
    public void Exec_failures_map_to_docker_exit_kinds_by_errno()
    {
        Assert.Equal(ErrorKind.CommandNotFound, ExecutableLookup.Failure("x", Errnos.ENOENT).Kind);
        Assert.Equal(ErrorKind.CannotExecute, ExecutableLookup.Failure("x", Errnos.EACCES).Kind);
        Assert.Equal(ErrorKind.CannotExecute, ExecutableLookup.Failure("x", Errnos.ENOEXEC).Kind);
    }

    [Fact]
    public void Program_is_found_on_the_last_PATH_of_the_environment()
    {
        string root = Directory.CreateTempSubdirectory("skiff-lookup-").FullName;
        try
        {
            string empty = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
            string bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
            string program = Path.Combine(bin, "prog");
            File.WriteAllText(program, "#!/bin/sh\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);

            Assert.Equal(program, ExecutableLookup.Resolve("prog", ["HOME=/", $"PATH={empty}", $"PATH={empty}:{bin}"]));
            SkiffException e = Assert.Throws<ExecFailedException>(() => ExecutableLookup.Resolve("prog", [$"PATH={bin}", $"PATH={empty}"]));
            Assert.Equal(ErrorKind.CommandNotFound, e.Kind);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
