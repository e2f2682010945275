using Skiff.Cli.Commands.Images;
using Skiff.Core.Errors;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.Store;

namespace Skiff.Tests.Unit.Images;

public class ImageFilterTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(10);

    private static ImageRecord Image(DateTimeOffset created, params string[] names) => new() { Id = "sha256:" + new string('a', 64), Names = names, Created = created };

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", true)]
    [InlineData("busybox:latest", "docker.io/library/busybox:latest", true)]
    [InlineData("busy*", "docker.io/library/busybox:latest", true)]
    [InlineData("docker.io/library/busybox", "docker.io/library/busybox:latest", true)]
    [InlineData("*/busybox", "docker.io/library/busybox:latest", true)]
    [InlineData("busybox:1", "docker.io/library/busybox:latest", false)]
    [InlineData("other", "localhost/other:1", true)]
    [InlineData("oth?r:[0-9]", "localhost/other:1", true)]
    [InlineData("*", "quay.io/org/app:1", false)]
    [InlineData("quay.io/org/*", "quay.io/org/app:1", true)]
    public void Reference_matches_like_docker(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, ImageFilter.Parse(["reference=" + pattern], Now).MatchesName(name));
    }

    [Fact]
    public void Dangling_label_before_and_since()
    {
        var old = Image(DateTimeOffset.UnixEpoch.AddDays(1), "localhost/old:1");
        var young = Image(DateTimeOffset.UnixEpoch.AddDays(3));
        var config = new ImageConfig { Config = new ContainerConfig { Labels = new Dictionary<string, string> { ["a"] = "1" } } };
        ImageRecord Resolve(string _) => Image(DateTimeOffset.UnixEpoch.AddDays(2));

        Assert.True(ImageFilter.Parse(["dangling=true"], Now).Matches(young, Resolve, () => null));
        Assert.False(ImageFilter.Parse(["dangling=true"], Now).Matches(old, Resolve, () => null));
        Assert.True(ImageFilter.Parse(["before=x"], Now).Matches(old, Resolve, () => null));
        Assert.False(ImageFilter.Parse(["since=x"], Now).Matches(old, Resolve, () => null));
        Assert.True(ImageFilter.Parse(["label=a", "label=a=1"], Now).Matches(old, Resolve, () => config));
        Assert.False(ImageFilter.Parse(["label=a=2"], Now).Matches(old, Resolve, () => config));
        Assert.False(ImageFilter.Parse(["label=b"], Now).Matches(old, Resolve, () => null));
    }

    [Fact]
    public void Until_matches_images_created_before_and_its_values_are_alternatives()
    {
        var old = Image(DateTimeOffset.UnixEpoch.AddDays(1));
        var young = Image(Now.AddMinutes(-5));
        ImageRecord Resolve(string _) => throw new InvalidOperationException();

        Assert.True(ImageFilter.Parse(["until=1h"], Now).Matches(old, Resolve, () => null));
        Assert.False(ImageFilter.Parse(["until=1h"], Now).Matches(young, Resolve, () => null));
        Assert.True(ImageFilter.Parse(["until=1h", "until=-1m"], Now).Matches(young, Resolve, () => null));
        Assert.False(ImageFilter.Parse(["until=1970-01-02"], Now).Matches(old, Resolve, () => null));
    }

    [Theory]
    [InlineData("bogus=1")]
    [InlineData("reference")]
    [InlineData("dangling=maybe")]
    [InlineData("until=yesterday")]
    public void Rejects_unknown_filters(string filter)
    {
        Assert.Throws<SkiffException>(() => ImageFilter.Parse([filter], Now));
    }

    [Fact]
    public void Changes_apply_like_docker_import()
    {
        ContainerConfig config = ImageChanges.Apply(new ContainerConfig(), [
            "CMD [\"sh\", \"-c\", \"echo hi\"]",
            "ENTRYPOINT /bin/init --flag",
            "ENV A=1 B=\"two words\"",
            "ENV A=3",
            "ENV LEGACY value with spaces",
            "LABEL org.x=y",
            "EXPOSE 80 53/udp",
            "VOLUME /data",
            "WORKDIR /app",
            "USER 1000:1000",
            "STOPSIGNAL SIGINT",
        ]);
        Assert.Equal(["sh", "-c", "echo hi"], config.Cmd);
        Assert.Equal(["/bin/sh", "-c", "/bin/init --flag"], config.Entrypoint);
        Assert.Equal(["B=two words", "A=3", "LEGACY=value with spaces"], config.Env);
        Assert.Equal("y", config.Labels!["org.x"]);
        Assert.Equal(["53/udp", "80/tcp"], config.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["/data"], config.Volumes!.Keys);
        Assert.Equal("/app", config.WorkingDir);
        Assert.Equal("1000:1000", config.User);
        Assert.Equal("SIGINT", config.StopSignal);
    }

    [Theory]
    [InlineData("RUN echo")]
    [InlineData("EXPOSE http")]
    [InlineData("CMD")]
    [InlineData("ENV novalue")]
    public void Rejects_bad_changes(string change)
    {
        Assert.Throws<SkiffException>(() => ImageChanges.Apply(new ContainerConfig(), [change]));
    }

    [Theory]
    [InlineData("docker.io/library/busybox:latest", "docker.io/library/busybox", "latest")]
    [InlineData("localhost:5000/a/b:1", "localhost:5000/a/b", "1")]
    [InlineData("localhost:5000/a/b", "localhost:5000/a/b", "<none>")]
    [InlineData("quay.io/a@sha256:abc", "quay.io/a", "<none>")]
    public void Splits_names_into_repository_and_tag(string name, string repository, string tag)
    {
        Assert.Equal((repository, tag), ImageNames.Split(name));
    }
}
