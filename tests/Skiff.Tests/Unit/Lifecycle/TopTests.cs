using System.Text;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Runtime.Process;

namespace Skiff.Tests.Unit.Lifecycle;

public sealed class TopTests
{
    [Fact]
    public void Descriptors_accept_names_aix_codes_and_ps_lists()
    {
        Assert.Equal(["user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args"], TopCommand.Descriptors([]));
        Assert.Equal(["pid", "comm", "args"], TopCommand.Descriptors(["pid", "%c", "args"]));
        Assert.Equal(["user", "pid", "comm"], TopCommand.Descriptors(["-eo", "user,pid,comm"]));
        Assert.Equal("unknown descriptor: bogus", Assert.Throws<SkiffException>(() => TopCommand.Descriptors(["pid", "bogus"])).Message);
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
