using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// <c>skiff mount</c>/<c>unmount</c> of containers as podman 4.3's: the root's path, the list, and one mount shared and
/// counted with the container's own (root; rootless inside <c>skiff unshare</c>).
/// </summary>
[Trait("Category", "E2E")]
public sealed class MountVerbTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mount_is_counted_with_the_containers_own_mount()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        string image = await skiff.ImportBusyboxAsync();
        string id = (await skiff.RunAsync("create", "--name", "mnt", "--network", "none", image, "sh", "-c", "echo hi > /hello; sleep 1000")).AssertSuccess().Stdout.Trim();

        string path = (await skiff.RunAsync("mount", "mnt")).AssertSuccess().Stdout.Trim();
        Assert.True(Directory.Exists(Path.Combine(path, "bin")));
        Assert.True(Mounted(path));
        Assert.Equal($"{id[..12]}  {path}\n", (await skiff.RunAsync("mount")).AssertSuccess().Stdout);
        Assert.Equal($"{id}  {path}\n", (await skiff.RunAsync("mount", "--no-trunc")).AssertSuccess().Stdout);
        JsonElement listed = JsonDocument.Parse((await skiff.RunAsync("mount", "--format", "json")).AssertSuccess().Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.Equal("mnt", listed.GetProperty("Names")[0].GetString());
        Assert.Equal(path, listed.GetProperty("mountpoint").GetString());

        // Two mounts need two unmounts.
        Assert.Equal(path + "\n", (await skiff.RunAsync("container", "mount", "mnt")).AssertSuccess().Stdout);
        Assert.Equal("mnt\n", (await skiff.RunAsync("umount", "mnt")).AssertSuccess().Stdout);
        Assert.True(Mounted(path));
        (await skiff.RunAsync("container", "unmount", "mnt")).AssertSuccess();
        Assert.False(Mounted(path));
        Assert.Empty((await skiff.RunAsync("mount")).AssertSuccess().Stdout);

        // A container that stops while mounted keeps the user's mount, with what it wrote.
        (await skiff.RunAsync("mount", "mnt")).AssertSuccess();
        (await skiff.RunAsync("start", "mnt")).AssertSuccess();
        await Poll.UntilAsync(() => File.Exists(Path.Combine(path, "hello")));
        (await skiff.RunAsync("stop", "-t", "0", "mnt")).AssertSuccess();
        Assert.True(Mounted(path));
        Assert.Equal("hi\n", File.ReadAllText(Path.Combine(path, "hello")));

        // cp and export of the stopped container read the user's mount, which stays.
        string copied = Path.Combine(skiff.Sandbox.Work, "hello.copy");
        (await skiff.RunAsync("cp", "mnt:/hello", copied)).AssertSuccess();
        Assert.Equal("hi\n", File.ReadAllText(copied));
        (await skiff.RunAsync("export", "-o", Path.Combine(skiff.Sandbox.Work, "mnt.tar"), "mnt")).AssertSuccess();
        Assert.True(Mounted(path));
        Assert.True(File.Exists(Path.Combine(path, "hello")));
        (await skiff.RunAsync("unmount", "mnt")).AssertSuccess();
        Assert.False(Mounted(path));

        // An unmount (even -f) of a running container leaves its root to it; its end unmounts it.
        (await skiff.RunAsync("start", "mnt")).AssertSuccess();
        (await skiff.RunAsync("mount", "mnt")).AssertSuccess();
        (await skiff.RunAsync("mount", "mnt")).AssertSuccess();
        Assert.Contains(id[..12], (await skiff.RunAsync("mount")).AssertSuccess().Stdout);
        (await skiff.RunAsync("unmount", "-f", "mnt")).AssertSuccess();
        Assert.True(Mounted(path));
        Assert.Equal("hi\n", (await skiff.RunAsync("exec", "mnt", "cat", "/hello")).AssertSuccess().Stdout);
        (await skiff.RunAsync("stop", "-t", "0", "mnt")).AssertSuccess();
        Assert.False(Mounted(path));

        // rm of a mounted container unmounts it, as podman's; umount needs a container or --all.
        (await skiff.RunAsync("mount", "mnt")).AssertSuccess();
        (await skiff.RunAsync("rm", "mnt")).AssertSuccess();
        Assert.False(Mounted(path));
        (await skiff.RunAsync("umount")).AssertError(125, "you must provide at least one name or id");
        (await skiff.RunAsync("mount", "nosuch")).AssertError(125, "no such container");

        string second = (await skiff.RunAsync("create", "--name", "mnt2", "--network", "none", image, "true")).AssertSuccess().Stdout.Trim();
        string secondPath = (await skiff.RunAsync("mount", "mnt2")).AssertSuccess().Stdout.Trim();
        Assert.Equal(second + "\n", (await skiff.RunAsync("umount", "--all")).AssertSuccess().Stdout);
        Assert.False(Mounted(secondPath));
        (await skiff.RunAsync("rm", "mnt2")).AssertSuccess();
    }

    [Fact]
    public async Task Rootless_mount_works_inside_unshare_only()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        string image = await skiff.ImportBusyboxAsync();
        (await skiff.RunAsync("create", "--name", "mnt", "--network", "none", image, "sh", "-c", "echo hi > /hello")).AssertSuccess();
        (await skiff.RunAsync("mount", "mnt")).AssertError(125, "in rootless mode, must execute `skiff unshare` first");

        // In one unshare session (its mount namespace): the path, the container's writes through the shared mount, the unmount.
        string skiffCommand = $"{skiff.Binary} {string.Join(' ', skiff.StoreFlags())}";
        string script = $"set -e; p=$({skiffCommand} mount mnt); ls $p/bin >/dev/null; {skiffCommand} start -a mnt; cat $p/hello; "
            + $"{skiffCommand} mount | grep -c rootfs; {skiffCommand} unmount mnt; test ! -e $p/bin && echo unmounted";
        ProcessResult inside = (await skiff.RunAsync("unshare", "sh", "-c", script)).AssertSuccess();
        Assert.Equal("hi\n1\nmnt\nunmounted\n", inside.Stdout);
        (await skiff.RunAsync("rm", "mnt")).AssertSuccess();
    }

    private static bool Mounted(string path) => File.ReadAllText("/proc/self/mountinfo").Contains(" " + path + " ", StringComparison.Ordinal);
}
