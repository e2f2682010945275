using Skiff.Runtime.Monitor;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>exec's argv: the user's supplementary groups go to runtimes that take --additional-gids.</summary>
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
}
