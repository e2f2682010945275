using Skiff.Tests.Support;
using Skiff.Tests.E2E.Containers;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Volumes;

/// <summary><c>--volumes-from CONTAINER[:ro|rw]</c>, as podman 4.3 (root and rootless).</summary>
[Trait("Category", "E2E")]
public sealed class VolumesFromTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task A_container_gets_the_volumes_and_binds_of_another_stopped_one(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string bind = Path.Combine(skiff.Sandbox.Work, "bind");
        string other = Path.Combine(skiff.Sandbox.Work, "other");
        Directory.CreateDirectory(bind);
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(bind, "f"), "host\n");
        File.WriteAllText(Path.Combine(other, "f"), "other\n");

        // Created, never started: its mounts are shared all the same; its tmpfs is not.
        (await skiff.RunAsync("create", "--name", "src", "-v", $"{bind}:/b", "-v", "named:/n", "-v", "/anon", "--tmpfs", "/t", "--rootfs", rootfs, "true")).AssertSuccess();

        string written = (await skiff.RunAsync("run", "--rm", "--volumes-from", "src", "--rootfs", rootfs, "sh", "-c",
            "cat /b/f; echo n > /n/f; echo a > /anon/f; test -e /t || echo no-tmpfs")).AssertSuccess().Stdout;
        Assert.Equal("host\nno-tmpfs\n", written);

        // :ro makes every shared mount read-only; the anonymous volume outlived the --rm of the container that borrowed it.
        ProcessResult readOnly = await skiff.RunAsync("run", "--rm", "--volumes-from", "src:ro", "--rootfs", rootfs, "sh", "-c",
            "cat /n/f /anon/f; touch /n/g /b/g /anon/g 2>/dev/null; echo $?");
        Assert.Equal("n\na\n1\n", readOnly.AssertSuccess().Stdout);
        Assert.False(File.Exists(Path.Combine(bind, "g")));

        // A mount of the container's own at the same destination wins.
        Assert.Equal("other\n", (await skiff.RunAsync("run", "--rm", "-v", $"{other}:/b", "--volumes-from", "src", "--rootfs", rootfs, "cat", "/b/f")).AssertSuccess().Stdout);

        (await skiff.RunAsync("run", "--rm", "--volumes-from", "nosuch", "--rootfs", rootfs, "true"))
            .AssertError(125, "looking up container \"nosuch\" for volumes-from: no container with name or ID \"nosuch\" found");
        (await skiff.RunAsync("run", "--rm", "--volumes-from", "src:foo", "--rootfs", rootfs, "true"))
            .AssertError(125, "invalid option \"foo\" specified - volumes from another container can only use z,ro,rw options");

        (await skiff.RunAsync("rm", "-v", "src")).AssertSuccess();
        (await skiff.RunAsync("volume", "rm", "named")).AssertSuccess();
    }
}
