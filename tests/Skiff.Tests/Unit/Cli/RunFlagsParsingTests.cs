using System.Text.Json.Nodes;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Registry;
using Skiff.Core.Errors;
using Platform = Skiff.Images.Manifests.Platform;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Cli;

/// <summary>podman 4.3's run/create flags --http-proxy, --seccomp-policy, --arch/--os/--variant and --no-hosts: parsing and what they make.</summary>
public sealed class RunFlagsParsingTests : IDisposable
{
    private static readonly Platform Amd64 = new() { Os = "linux", Architecture = "amd64" };
    private static readonly Platform Arm64 = new() { Os = "linux", Architecture = "arm64", Variant = "v8" };

    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-runflags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Proxy_variables_are_passed_in_podmans_order_and_only_those()
    {
        var host = new Dictionary<string, string>
        {
            ["NO_PROXY"] = "localhost", ["http_proxy"] = "http://p:3128", ["HTTPS_PROXY"] = "", ["ALL_PROXY"] = "socks://x", ["FOO"] = "bar",
        };
        Assert.Equal(["http_proxy=http://p:3128", "HTTPS_PROXY=", "NO_PROXY=localhost"], ProxyEnvironment.From(host.GetValueOrDefault));
        Assert.Empty(ProxyEnvironment.From(_ => null));
    }

    [Fact]
    public void The_images_and_the_flags_variables_win_over_the_proxy_ones()
    {
        IReadOnlyList<string> env = ContainerImages.MergeEnv(
            ContainerImages.MergeEnv(["http_proxy=host", "no_proxy=host"], ["PATH=/bin", "http_proxy=image"]),
            ["no_proxy=flag"]);
        Assert.Equal(["PATH=/bin", "http_proxy=image", "no_proxy=flag"], env);
    }

    [Theory]
    [InlineData(null, "default")]
    [InlineData("default", "default")]
    [InlineData("image", "image")]
    public void Seccomp_policies_are_default_and_image(string? flag, string expected) => Assert.Equal(expected, SeccompPolicy.Validate(flag));

    [Theory]
    [InlineData("foo")]
    [InlineData("Image")]
    public void Other_seccomp_policies_are_refused_with_podmans_message(string flag)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => SeccompPolicy.Validate(flag));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"invalid seccomp policy \"{flag}\": valid policies are [\"default\" \"image\"]", e.Message);
    }

    [Fact]
    public void The_image_policy_takes_the_profile_from_the_images_label()
    {
        const string profile = """{"defaultAction":"SCMP_ACT_ALLOW"}""";
        var labels = new Dictionary<string, string> { [SeccompPolicy.ImageLabel] = profile };
        Assert.Equal(["no-new-privileges", "seccomp=" + profile], SeccompPolicy.Apply("image", ["seccomp=unconfined", "no-new-privileges"], labels));
        Assert.Equal(["seccomp=unconfined"], SeccompPolicy.Apply("default", ["seccomp=unconfined"], labels));

        Assert.Equal("no seccomp policy defined by image", Assert.Throws<SkiffException>(() => SeccompPolicy.Apply("image", [], null)).Message);
        Assert.Equal("no seccomp policy defined by image", Assert.Throws<SkiffException>(() => SeccompPolicy.Apply("image", [], new Dictionary<string, string> { ["a"] = "b" })).Message);
        Assert.Contains("not valid JSON", Assert.Throws<SkiffException>(() => SeccompPolicy.Apply("image", [], new Dictionary<string, string> { [SeccompPolicy.ImageLabel] = "{" })).Message);
    }

    [Fact]
    public void Platform_parts_default_to_the_hosts()
    {
        Assert.Null(PlatformFlags.Resolve(null, null, null, null, Arm64));
        Assert.Equal(new Platform { Os = "linux", Architecture = "amd64" }, PlatformFlags.Resolve(null, null, "amd64", null, Arm64));
        Assert.Equal(Arm64, PlatformFlags.Resolve(null, "linux", null, null, Arm64));
        Assert.Equal(Arm64 with { Variant = "v9" }, PlatformFlags.Resolve(null, null, null, "v9", Arm64));
        Assert.Equal(new Platform { Os = "linux", Architecture = "arm", Variant = "v6" }, PlatformFlags.Resolve(null, null, "arm", "v6", Amd64));
        Assert.Equal(new Platform { Os = "freebsd", Architecture = "amd64" }, PlatformFlags.Resolve(null, "freebsd", null, null, Amd64));
        Assert.Equal(new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" }, PlatformFlags.Resolve("linux/arm64/v8", null, null, null, Amd64));
        Assert.Equal(new Platform { Os = "linux", Architecture = "arm", Variant = "v5" }, PlatformFlags.Resolve("linux/arm", null, null, "v5", Amd64));
    }

    [Theory]
    [InlineData("linux/amd64", "linux", null, "--platform option can not be specified with --arch or --os")]
    [InlineData("linux/amd64", null, "amd64", "--platform option can not be specified with --arch or --os")]
    [InlineData(null, null, "", "invalid --arch value \"\"")]
    [InlineData(null, "linux/amd64", null, "invalid --os value \"linux/amd64\"")]
    [InlineData("bogus", null, null, "invalid platform \"bogus\"")]
    public void Platform_flags_refuse_conflicts_and_blanks(string? platform, string? os, string? arch, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => PlatformFlags.Resolve(platform, os, arch, null, Amd64));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void No_hosts_leaves_etc_hosts_out_of_the_bundle_and_is_stored()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        ContainerConfig plain = Config('a');
        ContainerConfig noHosts = Config('b') with { NoHosts = true };
        store.Create(plain);
        store.Create(noHosts);
        Assert.Contains("/etc/hosts", Destinations(store, plain));
        Assert.DoesNotContain("/etc/hosts", Destinations(store, noHosts));
        Assert.Contains("/etc/resolv.conf", Destinations(store, noHosts));
        Assert.True(store.ReadConfig(noHosts.Id).NoHosts);
        Assert.False(store.ReadConfig(plain.Id).NoHosts);
    }

    private static List<string> Destinations(ContainerStore store, ContainerConfig config)
    {
        new BundleWriter(store).Write(config, rootless: false);
        JsonObject spec = JsonNode.Parse(File.ReadAllText(Path.Combine(store.BundleDirectory(config.Id), "config.json")))!.AsObject();
        return [.. spec["mounts"]!.AsArray().Select(m => (string)m!["destination"]!)];
    }

    private static ContainerConfig Config(char id) => new()
    {
        Id = new string(id, 64), Name = "r" + id, Created = DateTimeOffset.UnixEpoch, Image = "img", Runtime = "skiff", Cmd = ["true"],
    };
}
