using Skiff.Tests.E2E.Containers;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>
/// --cgroupns as podman: the default is the host's namespace on cgroup v1 (these machines) and a private
/// one on v2 (see <see cref="RealSystemdTests"/>); private puts the container's own group at "/".
/// </summary>
[Trait("Category", "E2E")]
public sealed class CgroupNamespaceTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Cgroupns_private_gives_the_container_its_own_namespace_and_host_shares_the_hosts(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string host = (await skiff.ExecAsync("readlink", "/proc/self/ns/cgroup")).AssertSuccess().Stdout.Trim();

        (await skiff.RunAsync("create", "--name", "dflt", "--rootfs", rootfs, "true")).AssertSuccess();
        Assert.Equal("host", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.CgroupnsMode}}", "dflt")).AssertSuccess().Stdout.Trim());
        Assert.Equal(host, (await skiff.RunAsync("run", "--rm", "--rootfs", rootfs, "readlink", "/proc/self/ns/cgroup")).AssertSuccess().Stdout.Trim());
        Assert.Equal(host, (await skiff.RunAsync("run", "--rm", "--cgroupns", "host", "--rootfs", rootfs, "readlink", "/proc/self/ns/cgroup")).AssertSuccess().Stdout.Trim());

        ProcessResult own = (await skiff.RunAsync("run", "--rm", "--cgroupns", "private", "--rootfs", rootfs, "sh", "-c", "readlink /proc/self/ns/cgroup; cat /proc/self/cgroup")).AssertSuccess();
        Assert.NotEqual(host, own.StdoutLines[0]);
        if (!rootless)
        {
            // As root the container has a group of its own in every hierarchy: it is the root of each.
            Assert.Contains(own.StdoutLines, l => l.Contains(":pids:", StringComparison.Ordinal));
            Assert.All(own.StdoutLines.Skip(1).Where(l => l.Contains(":pids:", StringComparison.Ordinal) || l.Contains(":memory:", StringComparison.Ordinal)), l => Assert.EndsWith(":/", l));
        }

        (await skiff.RunAsync("run", "--rm", "--cgroupns", "bogus", "--rootfs", rootfs, "true")).AssertError(125, "bogus");
        (await skiff.RunAsync("rm", "dflt")).AssertSuccess();
    }
}
