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
    public void Podmans_own_descriptors_are_columns_with_its_headers()
    {
        string[] all = ["vsz", "rss", "nice", "pgid", "stime", "label", "seccomp", "capamb", "capbnd", "capeff", "capinh", "capprm", "groups", "hgroups"];
        TopArguments parsed = TopArguments.Parse([string.Join(',', all[..7]), .. all[7..]]);
        Assert.Null(parsed.PsArguments);
        Assert.Equal(all, parsed.Descriptors);
        Assert.Equal(
            ["VSZ", "RSS", "NI", "PGID", "STIME", "LABEL", "SECCOMP", "AMBIENT CAPS", "BOUNDING CAPS", "EFFECTIVE CAPS", "INHERITED CAPS", "PERMITTED CAPS", "GROUPS", "HGROUPS"],
            all.Select(TopArguments.Header));
        Assert.Equal(["nice", "pgid", "vsz"], TopArguments.Parse(["%n", "%r", "%z"]).Descriptors);
        Assert.Equal(["vsz", "-o"], TopArguments.Parse(["vsz", "-o"]).PsArguments);
    }

    [Theory]
    [InlineData(0x1ffffffffffUL, "full")]
    [InlineData(0UL, "none")]
    [InlineData(0x00000000a80425fbUL, "AUDIT_WRITE,CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,MKNOD,NET_BIND_SERVICE,NET_RAW,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT")]
    [InlineData(0x1UL << 21, "SYS_ADMIN")]
    [InlineData((0x1UL << 40) | (0x1UL << 41) | 1, "CHECKPOINT_RESTORE,CHOWN,unknown")]
    [InlineData(0x3ffffffffffUL, "AUDIT_CONTROL,AUDIT_READ,AUDIT_WRITE,BLOCK_SUSPEND,BPF,CHECKPOINT_RESTORE,CHOWN,DAC_OVERRIDE,DAC_READ_SEARCH,FOWNER,FSETID,IPC_LOCK,IPC_OWNER,KILL,LEASE,LINUX_IMMUTABLE,MAC_ADMIN,MAC_OVERRIDE,MKNOD,NET_ADMIN,NET_BIND_SERVICE,NET_BROADCAST,NET_RAW,PERFMON,SETFCAP,SETGID,SETPCAP,SETUID,SYSLOG,SYS_ADMIN,SYS_BOOT,SYS_CHROOT,SYS_MODULE,SYS_NICE,SYS_PACCT,SYS_PTRACE,SYS_RAWIO,SYS_RESOURCE,SYS_TIME,SYS_TTY_CONFIG,WAKE_ALARM,unknown")]
    public void Capability_sets_print_as_psgo_does(ulong mask, string expected) => Assert.Equal(expected, TopFormats.CapabilitySet(mask));

    [Fact]
    public void Seccomp_modes_print_by_name()
    {
        Assert.Equal(["disabled", "strict", "filter", "?", "?"], new int?[] { 0, 1, 2, 3, null }.Select(TopFormats.Seccomp));
    }

    [Fact]
    public void Start_times_print_as_go_prints_a_local_time_truncated_to_the_second()
    {
        // Booted at 2026-12-02 10:00:00 UTC; started 3725.99 s later (ticks truncate to whole seconds, as psgo does).
        long boot = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal("2026-12-02 11:02:05 +0000 UTC", TopFormats.StartTime(372_599, boot, TimeZoneInfo.Utc));
        TimeZoneInfo east = TimeZoneInfo.CreateCustomTimeZone("Test/East", TimeSpan.FromMinutes(330), "IST", "IST");
        Assert.Equal("2026-12-02 16:32:05 +0530 IST", TopFormats.StartTime(372_599, boot, east));
        TimeZoneInfo west = TimeZoneInfo.CreateCustomTimeZone("Test/West", TimeSpan.FromHours(-3), "Some Long Name", "Some Long Name");
        Assert.Equal("2026-12-02 08:02:05 -0300 -0300", TopFormats.StartTime(372_599, boot, west));
    }

    [Fact]
    public void A_processs_own_text_cannot_make_columns_or_rows_of_its_own()
    {
        Assert.Equal("evil?name?root 1", TopFormats.Cell("evil\tname\nroot 1"));
        Assert.Equal("sleep 1000", TopFormats.Cell("sleep 1000"));
        Assert.Equal("a?b", TopFormats.Cell("a\u007fb"));
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
        Assert.Equal((4242, 0, 1000UL, (ulong?)null), (info.Pgid, info.Nice, info.VirtualBytes, info.RssKib));
        Assert.Empty(info.HostGroups);
        Assert.Null(info.SeccompMode);
    }

    [Fact]
    public void Status_gives_groups_memory_capabilities_seccomp_and_the_namespaces_process_group()
    {
        // A comm that imitates the rest of the line: fields are counted after the last ')'.
        const string stat = "4242 (x) S 1 2 3 4 5 6 7 8 9 10 11) S 4200 4300 4242 0 -1 4194560 100 0 0 0 25 5 0 0 30 10 1 0 123456 2322432 345 18446744073709551615";
        const string status = "Name:\tx) S 1 2 3 4 5 6 7 8 9 10 11\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t100009 100028 \n"
            + "NSpid:\t4242\t7\nNSpgid:\t4300\t5\nVmSize:\t    2268 kB\nVmRSS:\t    1380 kB\n"
            + "CapInh:\t0000000000000000\nCapPrm:\t00000000800405fb\nCapEff:\t00000000800405fb\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000001\n"
            + "NoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\n";
        ProcessInfo info = ProcessInfo.Parse(4242, stat, status, [])!;
        Assert.Equal("x) S 1 2 3 4 5 6 7 8 9 10 11", info.Comm);
        Assert.Equal((4200, 5, 10, 2322432UL, (ulong?)1380), (info.HostPpid, info.Pgid, info.Nice, info.VirtualBytes, info.RssKib));
        Assert.Equal([100009u, 100028u], info.HostGroups);
        Assert.Equal(new ProcessCapabilities(0, 0x800405fb, 0x800405fb, 0x1ffffffffff, 1), info.Capabilities);
        Assert.Equal(2, info.SeccompMode);
        Assert.Equal("full", TopFormats.CapabilitySet(info.Capabilities.Bounding));
    }
}
