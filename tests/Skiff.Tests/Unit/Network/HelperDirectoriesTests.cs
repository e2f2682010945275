using Skiff.Rootless.Checks;
using Skiff.Rootless.Network;

namespace Skiff.Tests.Unit.Network;

/// <summary>Where skiff finds pasta and slirp4netns: its helper directories (helper_binaries_dir) before PATH.</summary>
public sealed class HelperDirectoriesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("skiff-helpers-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_default_is_the_system_helper_directory_and_the_one_next_to_the_binary()
    {
        Assert.Equal(
            [HelperDirectories.SystemDirectory, "/home/u/.local/lib/skiff/helpers"],
            HelperDirectories.Parse(null, "/home/u/.local/bin/skiff").Configured);
        Assert.Equal([HelperDirectories.SystemDirectory], HelperDirectories.Parse(null, "/usr/local/lib/skiff/../../bin/skiff").Configured);
    }

    [Fact]
    public void A_configured_list_replaces_the_default_and_an_empty_one_leaves_only_path()
    {
        Assert.Equal(["/opt/a", "/opt/b"], HelperDirectories.Parse("/opt/a::/opt/b", "/usr/local/bin/skiff").Configured);
        Assert.Empty(HelperDirectories.Parse(string.Empty, "/usr/local/bin/skiff").Configured);
        Assert.Equal(
            ["/usr/local/bin", "/usr/bin", "/bin", "/usr/libexec/podman"],
            HelperDirectories.Parse(string.Empty, null).SearchOrder("/usr/local/bin:/usr/bin:/bin"));
    }

    [Fact]
    public void Helper_directories_come_before_path_and_path_before_the_fallbacks()
    {
        Assert.Equal(
            ["/h", "/p", "/usr/bin", "/usr/local/bin", "/usr/libexec/podman"],
            new HelperDirectories(["/h"]).SearchOrder("/p:/usr/bin"));
    }

    [Fact]
    public void The_first_directory_with_the_program_wins()
    {
        string helpers = Directory.CreateDirectory(Path.Combine(_root, "helpers")).FullName;
        string path = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        File.WriteAllText(Path.Combine(path, "pasta"), string.Empty);
        File.WriteAllText(Path.Combine(path, "slirp4netns"), string.Empty);
        File.WriteAllText(Path.Combine(helpers, "passt"), string.Empty);
        File.CreateSymbolicLink(Path.Combine(helpers, "pasta"), "passt");

        NetworkHelpers found = NetworkHelpers.Find(new HelperDirectories([helpers]).SearchOrder(path));

        Assert.Equal(Path.Combine(helpers, "pasta"), found.Pasta);
        Assert.Equal(Path.Combine(path, "slirp4netns"), found.Slirp4netns);
        Assert.Equal(Path.Combine(path, "pasta"), NetworkHelpers.Find(new HelperDirectories([]).SearchOrder(path)).Pasta);
    }

    [Theory]
    [InlineData("pasta 0.0~git20250503.587980c-2+deb13u1\nCopyright Red Hat\n", "0.0~git20250503.587980c-2+deb13u1")]
    [InlineData("pasta unknown version\nCopyright Red Hat\n", "unknown version")]
    [InlineData("", null)]
    [InlineData("passt 2024_01_01\n", null)]
    public void The_pasta_version_is_its_first_line_without_the_name(string output, string? expected) =>
        Assert.Equal(expected, NetworkHelperProbe.ParsePastaVersion(output));
}
