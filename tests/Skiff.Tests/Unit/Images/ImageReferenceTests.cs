using Skiff.Core.Errors;
using Skiff.Images.References;

namespace Skiff.Tests.Unit.Images;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("alpine", null, "alpine", null)]
    [InlineData("alpine:3.19", null, "alpine", "3.19")]
    [InlineData("docker.io/alpine", "docker.io", "library/alpine", null)]
    [InlineData("localhost:5000/team/app:v1", "localhost:5000", "team/app", "v1")]
    [InlineData("localhost/busybox", "localhost", "busybox", null)]
    [InlineData("quay.io/podman/hello:latest", "quay.io", "podman/hello", "latest")]
    [InlineData("127.0.0.1:41234/a/b/c", "127.0.0.1:41234", "a/b/c", null)]
    public void Parses_docker_references(string text, string? registry, string repository, string? tag)
    {
        ImageReference reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
    }

    [Fact]
    public void Parses_digest_and_defaults_tag_only_without_digest()
    {
        const string digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        ImageReference reference = ImageReference.Parse("docker.io/library/alpine@" + digest);
        Assert.Equal(digest, reference.Digest?.Value);
        Assert.Null(reference.TagOrDefault);
        Assert.Equal("latest", ImageReference.Parse("alpine").TagOrDefault);
        Assert.Equal("docker.io/library/alpine:latest", ImageReference.Parse("alpine").WithRegistry("docker.io").NameWithTag);
    }

    [Theory]
    [InlineData("web", "localhost/web:latest")]
    [InlineData("team/web:v2", "localhost/team/web:v2")]
    [InlineData("localhost/web:1", "localhost/web:1")]
    [InlineData("registry.example:5000/web", "registry.example:5000/web:latest")]
    public void A_local_name_puts_short_names_under_localhost_with_a_tag(string text, string expected) =>
        Assert.Equal(expected, ImageReference.Parse(text).LocalName);

    [Theory]
    [InlineData("")]
    [InlineData("Alpine")]
    [InlineData("alpine:")]
    [InlineData("alpine@sha256:../../x")]
    [InlineData("a//b")]
    [InlineData("alpine:bad tag")]
    [InlineData("-alpine")]
    public void Rejects_invalid_references(string text)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ImageReference.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }
}
