using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Unpack;

/// <summary><c>skiff image mount/unmount</c> with the published binary, as root and rootless (inside <c>skiff unshare</c>).</summary>
[Trait("Category", "E2E")]
public sealed class ImageMountTests(ITestOutputHelper output)
{
    [Theory]
    [RootAndRootless]
    public async Task Mount_prints_the_merged_root_and_unmount_releases_it(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync("localhost/mountme:1");
        if (!rootless)
        {
            string path = (await skiff.RunAsync("image", "mount", image)).AssertSuccess().Stdout.Trim();
            Assert.StartsWith(skiff.Sandbox.StorageRoot, path, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(path, "bin", "busybox")), $"no bin/busybox under {path}");
            Assert.Contains(path, (await skiff.RunAsync("image", "mount")).AssertSuccess().Stdout, StringComparison.Ordinal);
            string id = (await skiff.RunAsync("image", "unmount", image)).AssertSuccess().Stdout.Trim();
            Assert.Matches("^[0-9a-f]{64}$", id);
            Assert.False(File.Exists(Path.Combine(path, "bin", "busybox")), "still mounted after unmount");
            (await skiff.RunAsync("image", "unmount", image)).AssertError(125, "is not mounted");
            return;
        }

        (await skiff.RunAsync("image", "mount", image)).AssertError(125, "skiff unshare");

        // Rootless mounts live in the unshare's mount namespace, so the whole round trip runs inside one.
        string script =
            $"p=$(\"$0\" image mount {image}) || exit 10; test -x \"$p/bin/busybox\" || exit 11; " +
            $"\"$0\" image mount | grep -q \"$p\" || exit 12; \"$0\" image unmount {image} >/dev/null || exit 13; " +
            "test ! -e \"$p/bin/busybox\" || exit 14; echo ok";
        ProcessResult inside = await skiff.RunAsync("unshare", "sh", "-c", script, skiff.Binary);
        inside.AssertSuccess();
        Assert.Equal("ok", inside.Stdout.Trim());
    }
}
