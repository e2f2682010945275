using Skiff.Core.Errors;
using Skiff.Runtime.Monitor;

namespace Skiff.Tests.Unit.Lifecycle;

public sealed class OciRuntimesTests
{
    [Fact]
    public void The_default_runtime_is_the_built_in_one()
    {
        Assert.Equal(OciRuntimes.BuiltIn, OciRuntimes.DefaultProgram());
        Assert.Equal(OciRuntimes.BuiltIn, OciRuntimes.Resolve("skiff", "/nowhere"));
    }

    [Fact]
    public void A_runtime_name_is_looked_up_in_path_and_recorded_as_a_full_path()
    {
        string directory = Directory.CreateTempSubdirectory("skiff-runtimes").FullName;
        try
        {
            string runtime = Path.Combine(directory, "myrun");
            File.WriteAllText(runtime, "#!/bin/sh\n");
            Assert.Equal(runtime, OciRuntimes.Resolve("myrun", "/nowhere:" + directory));
            Assert.Equal(runtime, OciRuntimes.Resolve(runtime, null));
            Assert.Equal(ErrorKind.NotFound, Assert.Throws<SkiffException>(() => OciRuntimes.Resolve("myrun", "/nowhere")).Kind);
            Assert.Equal(ErrorKind.NotFound, Assert.Throws<SkiffException>(() => OciRuntimes.Resolve(directory + "/missing", null)).Kind);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_systemd_cgroup_manager_passes_systemd_cgroup_to_the_runtime_as_podman_does()
    {
        var cli = new OciRuntimeCli("/usr/bin/runc", [], "/run/skiff/runc", null) { SystemdCgroup = true };
        Assert.Equal(["--root", "/run/skiff/runc", "--systemd-cgroup", "create", "--bundle", "/b", "--pid-file", "/p", "c1"], cli.Create("c1", "/b", "/p", null));
        Assert.Equal(["--root", "/run/skiff/runc", "--systemd-cgroup", "delete", "--force", "c1"], cli.Delete("c1"));
        Assert.DoesNotContain("--systemd-cgroup", (cli with { SystemdCgroup = false }).Create("c1", "/b", "/p", null));
    }
}
