using System.Text;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Runtime.Process;

namespace Skiff.Tests.Unit.Lifecycle;

public sealed class TopTests
{
    [Fact]
    public void Descriptors_accept_names_and_aix_codes_split_at_commas()
    {
        Assert.Equal(["user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args"], TopArguments.Parse([]).Descriptors);
        Assert.Equal(["pid", "comm", "args"], TopArguments.Parse(["pid", "%c", "args"]).Descriptors);
        Assert.Equal(["pid", "comm", "hpid"], TopArguments.Parse(["pid,comm", "hpid"]).Descriptors);
        Assert.Equal(["user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args"], TopArguments.Parse([","]).Descriptors);
        Assert.Null(TopArguments.Parse(["pid", "%C"]).PsArguments);
    }

    [Theory]
    [InlineData("-ef")]
    [InlineData("aux")]
    [InlineData("-eo", "pid,comm")]
    [InlineData("-o", "pid,user", "--sort", "pid")]
    [InlineData("pid", "-o", "comm")]
    [InlineData("bogus")]
    [InlineData("pid,bogus")]
    public void Anything_but_descriptors_runs_ps_with_the_arguments_as_given(params string[] arguments)
    {
        TopArguments parsed = TopArguments.Parse(arguments);
        Assert.Equal(arguments, parsed.PsArguments);
        Assert.Empty(parsed.Descriptors);
    }

    [Fact]
    public void Podman_descriptors_skiff_does_not_print_are_refused_not_handed_to_ps()
    {
        Assert.Equal("unsupported descriptor: vsz", Assert.Throws<SkiffException>(() => TopArguments.Parse(["pid", "vsz"])).Message);
        Assert.Equal("unsupported descriptor: pgid", Assert.Throws<SkiffException>(() => TopArguments.Parse(["%r"])).Message);
        Assert.Equal(["vsz", "-o"], TopArguments.Parse(["vsz", "-o"]).PsArguments);
    }

    [Fact]
    public void Ps_output_leaves_out_lines_with_the_arguments_as_podman_does()
    {
        Assert.Equal("PID   USER     COMMAND\n    1 0        sleep 1000\n", TopPsFallback.Filter(["-ef"], "PID   USER     COMMAND\n    1 0        sleep 1000\n    7 0        ps -ef\n"));
        Assert.Equal("PID   COMMAND\n    1 sleep\n    9 ps\n", TopPsFallback.Filter(["-o", "pid,comm"], "PID   COMMAND\n    1 sleep\n    9 ps\r\n"));
        Assert.Equal("a\n", TopPsFallback.Filter(["x"], "a"));
        Assert.Equal(string.Empty, TopPsFallback.Filter(["x"], string.Empty));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(10, "10ms")]
    [InlineData(3_590, "3.59s")]
    [InlineData(62_500, "1m2.5s")]
    [InlineData(7_201_000, "2h0m1s")]
    public void Durations_print_as_go_does(long milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData(253, "2.53s")]
    [InlineData(7, "70ms")]
    [InlineData(314_567, "52m25.67s")]
    public void Clock_ticks_print_without_floating_point_residue(long ticks, string expected) =>
        Assert.Equal(expected, GoDuration.FormatSeconds(ticks / 100.0));

    [Fact]
    public void Proc_files_parse_into_a_process()
    {
        const string stat = "4242 (my (odd) cmd) S 4200 4242 4242 34816 4242 4194560 100 0 0 0 25 5 0 0 20 0 1 0 123456 1000 100 18446744073709551615";
        const string status = "Name:\tmy\nUid:\t1000\t100999\t100999\t100999\nGid:\t1000\t100999\t100999\t100999\nNSpid:\t4242\t7\n";
        ProcessInfo info = ProcessInfo.Parse(4242, stat, status, Encoding.UTF8.GetBytes("sleep\u00001000\u0000"))!;
        Assert.Equal((4242, 7, 4200, 100999u, 100999u), (info.HostPid, info.Pid, info.HostPpid, info.HostUid, info.HostGid));
        Assert.Equal("my (odd) cmd", info.Comm);
        Assert.Equal(["sleep", "1000"], info.Args);
        Assert.Equal((30UL, 123456UL, 34816, 'S'), (info.CpuTicks, info.StartTicks, info.TtyNr, info.State));
    }
}
