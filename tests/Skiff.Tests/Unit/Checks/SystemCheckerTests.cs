using Skiff.Rootless.Checks;
using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Checks;

/// <summary>Each problem made in a temp directory (never the machine's files), and the hint that comes back.</summary>
public sealed class SystemCheckerTests : IDisposable
{
    private static readonly CgroupLayout Unified = new(CgroupMode.Unified, new Dictionary<string, string>(), "/sys/fs/cgroup", new HashSet<string>());
    private static readonly CgroupDelegation Delegated = new("user.slice/user-1001.slice/user@1001.service", true, new HashSet<string> { "memory", "pids", "cpu" });

    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SystemCheckOptions Healthy()
    {
        File.WriteAllText(Path.Combine(_dir, "subuid"), "alice:100000:65536\nbob:165536:65536\n");
        File.WriteAllText(Path.Combine(_dir, "subgid"), "alice:100000:65536\nbob:165536:65536\n");
        string bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        foreach (string p in new[] { "newuidmap", "newgidmap", "pasta" })
        {
            string path = Path.Combine(bin, p);
            File.WriteAllText(path, string.Empty);
            File.SetUnixFileMode(path, UnixFileMode.SetUser | UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        }

        File.WriteAllText(Path.Combine(_dir, "tun"), string.Empty);
        File.WriteAllText(Path.Combine(_dir, "fuse"), string.Empty);
        string run = Directory.CreateDirectory(Path.Combine(_dir, "run")).FullName;
        string linger = Directory.CreateDirectory(Path.Combine(_dir, "linger")).FullName;
        File.WriteAllText(Path.Combine(linger, "alice"), string.Empty);
        return new SystemCheckOptions
        {
            UserName = "alice",
            Uid = 1001,
            Rootless = true,
            RuntimeDirectory = run,
            SubuidPath = Path.Combine(_dir, "subuid"),
            SubgidPath = Path.Combine(_dir, "subgid"),
            TunPath = Path.Combine(_dir, "tun"),
            FusePath = Path.Combine(_dir, "fuse"),
            LingerDirectory = linger,
            ProgramDirectories = [bin],
            SystemdRunning = true,
            OwnerOf = _ => 1001,
        };
    }

    [Fact]
    public void Healthy_machine_has_no_problems() => Assert.Empty(SystemChecker.Run(Healthy(), Unified, Delegated));

    [Fact]
    public void Missing_subuid_line_names_usermod()
    {
        SystemCheckOptions o = Healthy();
        File.WriteAllText(o.SubuidPath, "bob:165536:65536\n");
        SystemProblem p = Assert.Single(SystemChecker.Run(o, Unified, Delegated));
        Assert.Equal("subuid", p.Check);
        Assert.Contains("no subordinate uid range", p.Message);
        Assert.Contains("usermod --add-subuids", p.Fix);
    }

    [Fact]
    public void Duplicate_and_overlapping_ranges()
    {
        SystemCheckOptions o = Healthy();
        File.WriteAllText(o.SubgidPath, "alice:100000:65536\nalice:300000:65536\nbob:150000:65536\n");
        IReadOnlyList<SystemProblem> problems = SystemChecker.Run(o, Unified, Delegated);
        Assert.Contains(problems, p => p.Message.Contains("2 lines", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("overlaps the range of bob", StringComparison.Ordinal));
    }

    [Fact]
    public void Newuidmap_without_setuid_or_missing()
    {
        SystemCheckOptions o = Healthy();
        string newuidmap = Path.Combine(o.ProgramDirectories[0], "newuidmap");
        File.SetUnixFileMode(newuidmap, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.Delete(Path.Combine(o.ProgramDirectories[0], "newgidmap"));
        IReadOnlyList<SystemProblem> problems = SystemChecker.Run(o, Unified, Delegated);
        Assert.Contains(problems, p => p.Check == "newuidmap" && p.Fix.Contains("chmod u+s", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Check == "newgidmap" && p.Fix.Contains("apt-get install uidmap", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_devices_and_network_helpers()
    {
        SystemCheckOptions o = Healthy();
        File.Delete(o.TunPath);
        File.Delete(Path.Combine(o.ProgramDirectories[0], "pasta"));
        IReadOnlyList<SystemProblem> problems = SystemChecker.Run(o, Unified, Delegated);
        Assert.Contains(problems, p => p.Check == "tun" && p.Fix == "as root: modprobe tun");
        Assert.Contains(problems, p => p.Check == "network" && p.Fix.Contains("passt", StringComparison.Ordinal));
    }

    [Fact]
    public void Runtime_directory_linger_and_cgroups()
    {
        SystemCheckOptions o = Healthy() with { OwnerOf = _ => 0 };
        File.Delete(Path.Combine(o.LingerDirectory, "alice"));
        var v1 = new CgroupLayout(CgroupMode.Hybrid, new Dictionary<string, string> { ["memory"] = "/m" }, "/u", new HashSet<string>());
        IReadOnlyList<SystemProblem> problems = SystemChecker.Run(o, v1, null);
        Assert.Contains(problems, p => p.Check == "XDG_RUNTIME_DIR" && p.Message.Contains("owned by uid 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Check == "linger" && p.Fix == "loginctl enable-linger alice");
        Assert.Contains(problems, p => p.Check == "cgroups" && p.Message.Contains("cgroup v1 (hybrid)", StringComparison.Ordinal));

        IReadOnlyList<SystemProblem> unset = SystemChecker.Run(Healthy() with { RuntimeDirectory = null }, Unified, Delegated with { Controllers = new HashSet<string> { "memory" } });
        Assert.Contains(unset, p => p.Check == "XDG_RUNTIME_DIR" && p.Message.Contains("not set", StringComparison.Ordinal));
        Assert.Contains(unset, p => p.Check == "cgroups" && p.Message.Contains("pids cpu", StringComparison.Ordinal));
    }

    [Fact]
    public void Old_network_helpers_and_overlay_fallback()
    {
        SystemCheckOptions o = Healthy();
        string slirp = Path.Combine(o.ProgramDirectories[0], "slirp4netns");
        File.WriteAllText(slirp, string.Empty);
        File.SetUnixFileMode(slirp, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        o = o with
        {
            NetworkHelpers = new NetworkHelperFacts(new Version(0, 3, 2), ["--config-net", "--dns-forward"]),
            OverlayInUserNamespace = false,
            FallbackStorageDriver = "vfs",
        };
        IReadOnlyList<SystemProblem> problems = SystemChecker.Run(o, Unified, Delegated);
        Assert.Contains(problems, p => p.Check == "pasta" && p.Message.Contains("lacks --config-net, --dns-forward", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Check == "slirp4netns" && p.Message.Contains("version 0.3.2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Check == "overlay" && p.Fix.Contains("fuse-overlayfs", StringComparison.Ordinal));

        SystemCheckOptions fine = o with { NetworkHelpers = new NetworkHelperFacts(new Version(1, 2, 0), []), OverlayInUserNamespace = true };
        Assert.Empty(SystemChecker.Run(fine, Unified, Delegated));
    }

    [Fact]
    public void A_helper_without_the_execute_bit_counts_as_missing()
    {
        SystemCheckOptions o = Healthy();
        File.SetUnixFileMode(Path.Combine(o.ProgramDirectories[0], "pasta"), UnixFileMode.UserRead);
        Assert.Contains(SystemChecker.Run(o, Unified, Delegated), p => p.Check == "network");
    }

    [Theory]
    [InlineData("slirp4netns version 1.2.0\ncommit: 656041d\nlibslirp: 4.7.0\n", "1.2.0")]
    [InlineData("slirp4netns version 0.4\n", "0.4.0")]
    [InlineData("slirp4netns: unrecognized option\n", null)]
    public void Slirp4netns_version_is_parsed(string output, string? expected) =>
        Assert.Equal(expected is null ? null : Version.Parse(expected), NetworkHelperProbe.ParseSlirp4netnsVersion(output));

    [Fact]
    public void Pasta_options_are_found_in_its_help()
    {
        string recent = string.Join("\n", NetworkHelperProbe.PastaOptionsUsed.Select(o => "  " + o + " ARG   does things"));
        Assert.Empty(NetworkHelperProbe.MissingPastaOptions(recent));
        Assert.Equal(["--config-net", "--dns-forward"], NetworkHelperProbe.MissingPastaOptions(recent.Replace("--config-net", "--other", StringComparison.Ordinal).Replace("--dns-forward", "-D", StringComparison.Ordinal)));
    }
}
