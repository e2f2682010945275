using Skiff.Runtime.Monitor;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>exec's argv: the user's supplementary groups go to runtimes that take --additional-gids; create's --preserve-fds.</summary>
public sealed class OciRuntimeCliExecTests
{
    private static readonly ExecOptions AsAlice = new(["id"]) { User = "1100:1100", AdditionalGids = [1100, 10] };

    [Fact]
    public void Skiff_and_runc_get_the_additional_gids()
    {
        IReadOnlyList<string> builtIn = new OciRuntimeCli("/usr/bin/skiff", ["oci"], "/run/x", null).Exec("c1", AsAlice, null);
        Assert.Equal(["--user", "1100:1100", "--additional-gids", "1100", "--additional-gids", "10"], builtIn.SkipWhile(a => a != "--user").TakeWhile(a => a != "c1"));
        IReadOnlyList<string> runc = new OciRuntimeCli("/usr/sbin/runc", [], "/run/x", null).Exec("c1", AsAlice, null);
        Assert.Contains("--additional-gids", runc);
    }

    [Fact]
    public void Crun_has_no_such_flag()
    {
        IReadOnlyList<string> crun = new OciRuntimeCli("/usr/bin/crun", [], "/run/x", null).Exec("c1", AsAlice, null);
        Assert.DoesNotContain("--additional-gids", crun);
        Assert.Contains("1100:1100", crun);
    }

    [Fact]
    public void Privileged_and_preserved_descriptors_go_before_the_id()
    {
        var options = new ExecOptions(["sh"]) { Capabilities = ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"], PreserveFds = 2 };
        IReadOnlyList<string> runc = new OciRuntimeCli("/usr/sbin/runc", [], "/run/x", null).Exec("c1", options, null);
        Assert.Equal(["--cap", "CAP_SYS_ADMIN", "--cap", "CAP_NET_ADMIN", "--preserve-fds", "2", "c1", "sh"], runc.SkipWhile(a => a != "--cap"));
        Assert.DoesNotContain("--preserve-fds", new OciRuntimeCli("/usr/sbin/runc", [], "/run/x", null).Exec("c1", new ExecOptions(["sh"]), null));
    }

    [Fact]
    public void Create_passes_preserved_descriptors_before_the_id_and_only_when_asked()
    {
        var runc = new OciRuntimeCli("/usr/sbin/runc", [], "/run/x", null);
        Assert.Equal(["create", "--bundle", "/b", "--pid-file", "/p", "--preserve-fds", "2", "c1"], runc.Create("c1", "/b", "/p", null, 2).SkipWhile(a => a != "create"));
        Assert.Equal(["--console-socket", "/s", "--preserve-fds", "1", "c1"], runc.Create("c1", "/b", "/p", "/s", 1).SkipWhile(a => a != "--console-socket"));
        Assert.DoesNotContain("--preserve-fds", runc.Create("c1", "/b", "/p", null));
    }

    [Theory]
    [InlineData(new[] { "__monitor", "/r", "/rr", "id", "--attached", "--preserve-fds", "3" }, 3)]
    [InlineData(new[] { "__monitor", "/r", "/rr", "id", "--preserve-fds" }, 0)]
    [InlineData(new[] { "__monitor", "/r", "/rr", "id", "--preserve-fds", "-1" }, 0)]
    [InlineData(new[] { "__monitor", "/r", "/rr", "id" }, 0)]
    public void The_monitor_reads_how_many_descriptors_it_was_given(string[] arguments, int expected) =>
        Assert.Equal(expected, PreservedFds.CountIn(arguments));
}
