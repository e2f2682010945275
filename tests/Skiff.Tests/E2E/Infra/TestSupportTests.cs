using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Infra;

/// <summary>The test support itself works: skiff runs as root and rootless, registries start, images built here are valid.</summary>
[Trait("Category", "E2E")]
public sealed class TestSupportTests(ITestOutputHelper output, RegistryFixture registry, SecureRegistryFixture secure)
    : IClassFixture<RegistryFixture>, IClassFixture<SecureRegistryFixture>
{
    [Theory, RootAndRootless]
    public async Task Skiff_version_runs_as_root_and_rootless(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        ProcessResult version = (await skiff.RunAsync("version")).AssertSuccess();
        Assert.Contains("Version:", version.Stdout);

        ProcessResult id = (await skiff.ExecAsync("id", "-u")).AssertSuccess();
        Assert.Equal(rootless, id.Stdout.Trim() != "0");
        ProcessResult home = (await skiff.ExecAsync("sh", "-c", "echo $HOME; touch $XDG_RUNTIME_DIR/probe")).AssertSuccess();
        Assert.Equal(skiff.Sandbox.Home, home.Stdout.Trim());
    }

    [Fact]
    public async Task Unknown_flag_is_an_engine_error()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        (await skiff.RunAsync("version", "--no-such-flag")).AssertError(125, "--no-such-flag");
    }

    [Fact]
    public async Task Image_pushed_with_skopeo_reads_back_with_all_layer_kinds()
    {
        using var sandbox = TestSandbox.Create(rootless: false);
        OciImage image = TestImages.Busybox()
            .Layer(l => l.Directory("/data", uid: 1000, gid: 1000).File("/data/a", "a\n", uid: 1000, gid: 1000).Hardlink("/data/b", "/data/a"), LayerCompression.Gzip)
            .Layer(l => l.Whiteout("/etc/hostname").Directory("/data").Opaque("/data").Symlink("/data/abs", "/etc/passwd"), LayerCompression.None)
            .Configure(c => c.Labels["org.example"] = "yes")
            .WriteLayout(Path.Combine(sandbox.Work, "layout"), "v1");

        OciImage zstd = TestImages.Busybox(LayerCompression.Zstd).WriteLayout(image.LayoutDirectory, "zstd");

        string reference = await TestImages.PushAsync(image, registry.Registry, "support/busybox", log: output);
        string zstdReference = await TestImages.PushAsync(zstd, registry.Registry, "support/busybox", log: output);
        ProcessResult zstdInspect = (await TestProcess.RunAsync(
            new ProcessSpec("skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://{zstdReference}"]), output)).AssertSuccess();
        Assert.Contains("application/vnd.oci.image.layer.v1.tar+zstd", zstdInspect.Stdout);

        ProcessResult inspect = (await TestProcess.RunAsync(
            new ProcessSpec("skopeo", ["inspect", "--tls-verify=false", $"docker://{reference}"]), output)).AssertSuccess();
        using JsonDocument json = JsonDocument.Parse(inspect.Stdout);
        Assert.Equal(image.ManifestDigest, json.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(image.LayerDigests, json.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToList());
        Assert.Equal("yes", json.RootElement.GetProperty("Labels").GetProperty("org.example").GetString());

        // Debian 12's umoci cannot unpack zstd layers, hence gzip and plain layers in this image.
        string bundle = Path.Combine(sandbox.Work, "bundle");
        (await TestProcess.RunAsync(new ProcessSpec("umoci", ["unpack", "--image", $"{image.LayoutDirectory}:v1", bundle]), output)).AssertSuccess();
        string rootfs = Path.Combine(bundle, "rootfs");
        Assert.True(File.Exists(Path.Combine(rootfs, "bin", "busybox")));
        Assert.Equal("busybox", new FileInfo(Path.Combine(rootfs, "bin", "sh")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(rootfs, "etc", "hostname")));
        Assert.Equal(["abs"], Directory.GetFileSystemEntries(Path.Combine(rootfs, "data")).Select(p => Path.GetFileName(p)).ToArray());
    }

    [Fact]
    public async Task Secure_registry_needs_its_ca_and_credentials()
    {
        using var sandbox = TestSandbox.Create(rootless: false);
        string reference = await TestImages.PushBusyboxAsync(secure.Registry, "support/secure", sandbox.Work, log: output);
        string certDir = Path.Combine(secure.CertsDirectory, secure.Address);
        Assert.True(File.Exists(Path.Combine(certDir, "ca.crt")));
        Assert.Equal(File.ReadAllText(secure.CaFile), File.ReadAllText(Path.Combine(certDir, "ca.crt")));

        (await TestProcess.RunAsync(new ProcessSpec("skopeo",
            ["inspect", "--cert-dir", certDir, "--creds", $"{secure.Username}:{secure.Password}", $"docker://{reference}"]), output)).AssertSuccess();
        ProcessResult anonymous = await TestProcess.RunAsync(new ProcessSpec("skopeo", ["inspect", "--cert-dir", certDir, "--no-creds", $"docker://{reference}"]), output);
        Assert.NotEqual(0, anonymous.ExitCode);
        ProcessResult untrusted = await TestProcess.RunAsync(new ProcessSpec("skopeo",
            ["inspect", "--creds", $"{secure.Username}:{secure.Password}", $"docker://{reference}"]), output);
        Assert.NotEqual(0, untrusted.ExitCode);
    }

    [Fact]
    public async Task A_hanging_command_is_killed_and_fails_the_test()
    {
        var spec = new ProcessSpec("sleep", ["30"]) { Timeout = TimeSpan.FromMilliseconds(300) };
        var failure = await Assert.ThrowsAsync<Xunit.Sdk.FailException>(() => TestProcess.RunAsync(spec, output));
        Assert.Contains("timed out", failure.Message);
    }
}
