using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>podman 4.3's run/create flags --no-hosts, --http-proxy, --gpus, --seccomp-policy and --arch/--os/--variant, as the container sees them.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class RunFlagsTests(RegistryFixture registry, ITestOutputHelper output)
{
    private static string Unique(string prefix, bool rootless) => $"{prefix}-{(rootless ? "rootless" : "root")}-{Guid.NewGuid():N}"[..30];

    [Theory, RootAndRootless]
    public async Task No_hosts_keeps_the_images_own_file(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        OciImage image = TestImages.Busybox().Layer(layer => layer.File("/etc/hosts", "10.9.8.7\timagehost\n")).WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string reference = await TestImages.PushAsync(image, registry.Registry, Unique("run/nohosts", rootless), log: output);
        await skiff.PullInsecureAsync(reference);

        const string probe = "cat /etc/hosts; grep -c ' /etc/hosts ' /proc/self/mountinfo";
        Assert.Equal("10.9.8.7\timagehost\n0\n", (await skiff.RunAsync("run", "--rm", "--no-hosts", reference, "sh", "-c", probe)).Stdout);
        // Without the flag skiff's file is bind-mounted over the image's.
        string managed = (await skiff.RunAsync("run", "--rm", "--add-host", "flaghost:10.1.2.3", reference, "sh", "-c", probe)).AssertSuccess().Stdout;
        Assert.Contains("10.1.2.3\tflaghost", managed);
        Assert.DoesNotContain("imagehost", managed);
        Assert.EndsWith("\n1\n", managed);

        (await skiff.RunAsync("create", "--no-hosts", "--add-host", "a:10.0.0.1", reference, "true")).AssertError(125, "--no-hosts and --add-host cannot be set together");
        (await skiff.RunAsync("create", "--name", "nh", "--no-hosts", reference, "true")).AssertSuccess();
        Assert.Equal("|[]", (await skiff.RunAsync("inspect", "--format", "{{.HostsPath}}|{{json .HostConfig.ExtraHosts}}", "nh")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "nh")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Http_proxy_passes_the_callers_proxy_variables(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        skiff.Environment["http_proxy"] = "http://proxy.example:3128";
        skiff.Environment["NO_PROXY"] = "localhost,.internal";
        skiff.Environment["ALL_PROXY"] = "socks5://not-passed:1080";
        const string probe = "env | grep -i proxy | sort";

        Assert.Equal(
            ["NO_PROXY=localhost,.internal", "http_proxy=http://proxy.example:3128"],
            (await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c", probe)).AssertSuccess().StdoutLines);
        Assert.Empty((await skiff.RunAsync("run", "--rm", "--http-proxy=false", "busybox", "sh", "-c", probe)).StdoutLines);
        // -e wins over the caller's value.
        Assert.Equal(
            ["NO_PROXY=localhost,.internal", "http_proxy=http://flag:1"],
            (await skiff.RunAsync("run", "--rm", "-e", "http_proxy=http://flag:1", "busybox", "sh", "-c", probe)).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("create", "--name", "px", "busybox", "true")).AssertSuccess();
        Assert.Contains("http_proxy=http://proxy.example:3128", (await skiff.RunAsync("inspect", "--format", "{{json .Config.Env}}", "px")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "px")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Seccomp_policy_image_uses_the_images_label_and_gpus_is_accepted(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        const string profile = """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}""";
        OciImage image = TestImages.Busybox().Configure(config => config.Labels["io.containers.seccomp.profile"] = profile).WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string reference = await TestImages.PushAsync(image, registry.Registry, Unique("run/seccomp", rootless), log: output);
        await skiff.PullInsecureAsync(reference);

        const string probe = "mkdir /tmp/d && echo made || echo refused";
        Assert.Equal("refused\n", (await skiff.RunAsync("run", "--rm", "--seccomp-policy", "image", reference, "sh", "-c", probe)).AssertSuccess().Stdout);
        Assert.Equal("made\n", (await skiff.RunAsync("run", "--rm", reference, "sh", "-c", probe)).AssertSuccess().Stdout);
        Assert.Equal("made\n", (await skiff.RunAsync("run", "--rm", "--seccomp-policy", "default", reference, "sh", "-c", probe)).AssertSuccess().Stdout);

        (await skiff.RunAsync("run", "--rm", "--seccomp-policy", "image", "busybox", "true")).AssertError(125, "no seccomp policy defined by image");
        (await skiff.RunAsync("run", "--rm", "--seccomp-policy", "foo", "busybox", "true")).AssertError(125, "invalid seccomp policy \"foo\": valid policies are [\"default\" \"image\"]");

        // docker's --gpus: podman 4.3 accepts it and does nothing.
        Assert.Equal("ok\n", (await skiff.RunAsync("run", "--rm", "--gpus", "all", "busybox", "echo", "ok")).AssertSuccess().Stdout);
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Arch_and_os_choose_the_image_as_platform_does(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string host = (await skiff.RunAsync("image", "inspect", "--format", "{{.Architecture}}", "busybox")).AssertSuccess().Stdout.Trim();
        string other = host == "arm64" ? "amd64" : "arm64";

        Assert.Equal("ok\n", (await skiff.RunAsync("run", "--rm", "--pull", "never", "--arch", host, "--os", "linux", "busybox", "echo", "ok")).AssertSuccess().Stdout);
        (await skiff.RunAsync("run", "--rm", "--pull", "never", "--arch", other, "busybox", "true")).AssertError(125, "busybox: image not known");
        (await skiff.RunAsync("run", "--rm", "--pull", "never", "--os", "windows", "busybox", "true")).AssertError(125, "busybox: image not known");
        (await skiff.RunAsync("create", "--platform", "linux/" + host, "--arch", host, "busybox", "true")).AssertError(125, "--platform option can not be specified with --arch or --os");
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);

        // pull takes the same spellings.
        string reference = await TestImages.PushBusyboxAsync(registry.Registry, Unique("pull/arch", rootless), skiff.Sandbox.Work, log: output);
        (await skiff.RunAsync("pull", "--platform", "linux/" + host, "--os", "linux", reference)).AssertError(125, "--platform option can not be specified with --arch or --os");
        (await skiff.RunAsync(["pull", "-q", "--tls-verify=false", "--arch", host, "--os", "linux", reference], (string?)null, TimeSpan.FromMinutes(2))).AssertSuccess();
        Assert.Equal(host, (await skiff.RunAsync("image", "inspect", "--format", "{{.Architecture}}", reference)).AssertSuccess().Stdout.Trim());
    }
}
