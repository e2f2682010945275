using Skiff.Core.Errors;
using Skiff.Runtime.Namespaces;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>--pid, --ipc and --uts values as podman takes them, and as inspect shows them.</summary>
public sealed class NamespaceModeTests
{
    [Theory]
    [InlineData(null, false, NamespaceModeKind.Default, null, "", "private")]
    [InlineData("", false, NamespaceModeKind.Default, null, "", "private")]
    [InlineData(null, true, NamespaceModeKind.Default, null, "", "shareable")]
    [InlineData("host", false, NamespaceModeKind.Host, null, "host", "host")]
    [InlineData("private", false, NamespaceModeKind.Private, null, "private", "private")]
    [InlineData("private", true, NamespaceModeKind.Private, null, "private", "private")]
    [InlineData("shareable", true, NamespaceModeKind.Shareable, null, "shareable", "shareable")]
    [InlineData("none", true, NamespaceModeKind.None, null, "none", "none")]
    [InlineData("container:web", false, NamespaceModeKind.Container, "web", "container:web", "container:web")]
    [InlineData("container:a:b", true, NamespaceModeKind.Container, "a:b", "container:a:b", "container:a:b")]
    [InlineData("ns:/run/netns/x", false, NamespaceModeKind.Path, "/run/netns/x", "ns:/run/netns/x", "ns:/run/netns/x")]
    public void Parses_and_shows_as_podman(string? text, bool ipc, NamespaceModeKind kind, string? value, string stored, string shown)
    {
        NamespaceMode mode = NamespaceMode.Parse(text, ipc);
        Assert.Equal(kind, mode.Kind);
        Assert.Equal(value, mode.Value);
        Assert.Equal(stored, mode.ToString());
        Assert.Equal(shown, mode.Show(ipc));
        Assert.Equal(mode, NamespaceMode.Parse(stored, ipc));
    }

    [Theory]
    [InlineData("bogus", false, "unrecognized namespace mode bogus passed")]
    [InlineData("shareable", false, "unrecognized namespace mode shareable passed")]
    [InlineData("none", false, "unrecognized namespace mode none passed")]
    [InlineData("host:x", false, "unrecognized namespace mode host:x passed")]
    [InlineData("container:", false, "invalid config provided: namespace mode container requires a value")]
    [InlineData("container", true, "invalid config provided: namespace mode container requires a value")]
    [InlineData("ns:", false, "invalid config provided: namespace mode ns requires a value")]
    [InlineData("ns:relative/path", false, "namespace path relative/path is not absolute")]
    public void Refuses_what_podman_refuses(string text, bool ipc, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => NamespaceMode.Parse(text, ipc));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Own_and_container()
    {
        Assert.True(NamespaceMode.Parse(null).Own);
        Assert.True(NamespaceMode.Parse("none", ipc: true).Own);
        Assert.False(NamespaceMode.Parse("host").Own);
        Assert.False(NamespaceMode.Parse("ns:/x").Own);
        Assert.Equal("abc", NamespaceMode.Parse("container:abc").Container);
        Assert.Null(NamespaceMode.Parse("host").Container);
    }
}
