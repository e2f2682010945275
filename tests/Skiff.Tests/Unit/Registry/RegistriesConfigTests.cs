using Skiff.Core.Errors;
using Skiff.Images.References;
using Skiff.Images.Registry.Configuration;

namespace Skiff.Tests.Unit.Registry;

public sealed class RegistriesConfigTests
{
    [Fact]
    public void Defaults_search_docker_io()
    {
        var resolver = new ShortNameResolver(RegistriesConfig.Default);
        IReadOnlyList<ImageReference> candidates = resolver.Candidates(ImageReference.Parse("alpine"));
        Assert.Equal(["docker.io/library/alpine:latest"], candidates.Select(c => c.NameWithTag));
    }

    [Fact]
    public void Parses_search_registries_entries_mirrors_and_aliases()
    {
        const string toml = """
            unqualified-search-registries = ["registry.example.com", "docker.io"]

            [[registry]]
            prefix = "example.com/foo"
            location = "internal.example.com/bar"
            insecure = true

            [[registry.mirror]]
            location = "mirror.example.com/cache"
            insecure = true

            [[registry]]
            location = "blocked.example.com"
            blocked = true

            [aliases]
            "fedora" = "registry.fedoraproject.org/fedora"
            """;
        RegistriesConfig config = RegistriesConfigParser.Parse(toml, "test.conf");

        Assert.Equal(["registry.example.com", "docker.io"], config.UnqualifiedSearchRegistries);
        RegistryEntry foo = config.FindEntry("example.com/foo/app")!;
        Assert.True(foo.Insecure);
        Assert.Equal("internal.example.com/bar/app", foo.Rewrite("example.com/foo/app"));
        Assert.Equal(new RegistryMirror("mirror.example.com/cache", true), Assert.Single(foo.Mirrors));
        Assert.Null(config.FindEntry("example.com/foobar/app"));
        Assert.True(config.FindEntry("blocked.example.com/x")!.Blocked);
        Assert.Equal("registry.fedoraproject.org/fedora", config.Aliases["fedora"]);
    }

    [Fact]
    public void Later_files_override_earlier_ones_key_by_key()
    {
        RegistriesConfig first = RegistriesConfigParser.Parse("""
            unqualified-search-registries = ["a.example"]
            [[registry]]
            location = "r.example"
            insecure = true
            [aliases]
            "one" = "a.example/one"
            """, "1.conf");
        RegistriesConfig merged = RegistriesConfigParser.Parse("""
            [[registry]]
            location = "r.example"
            insecure = false
            [aliases]
            "two" = "b.example/two"
            """, "2.conf", first);

        Assert.Equal(["a.example"], merged.UnqualifiedSearchRegistries);
        Assert.False(Assert.Single(merged.Registries).Insecure);
        Assert.Equal(2, merged.Aliases.Count);
    }

    [Fact]
    public void Reads_the_v1_tables()
    {
        RegistriesConfig config = RegistriesConfigParser.Parse("""
            [registries.search]
            registries = ["quay.io"]
            [registries.insecure]
            registries = ["localhost:5000"]
            [registries.block]
            registries = ["evil.example"]
            """, "v1.conf");
        Assert.Equal(["quay.io"], config.UnqualifiedSearchRegistries);
        Assert.True(config.IsInsecure("localhost:5000"));
        Assert.True(config.FindEntry("evil.example/x")!.Blocked);
    }

    [Theory]
    [InlineData("unqualified-search-registries = \"docker.io\"")]
    [InlineData("[[registry]]\ninsecure = true")]
    [InlineData("[aliases]\n\"x\" = \"notqualified\"")]
    [InlineData("this is not toml")]
    public void Bad_files_are_invalid_argument_errors_naming_the_file(string toml)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => RegistriesConfigParser.Parse(toml, "/etc/x.conf"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("/etc/x.conf", e.Message);
    }

    [Fact]
    public void Aliases_win_over_search_registries_and_keep_the_tag()
    {
        RegistriesConfig config = RegistriesConfigParser.Parse("""
            unqualified-search-registries = ["a.example", "b.example"]
            [aliases]
            "fedora" = "registry.fedoraproject.org/fedora"
            """, "t.conf");
        var resolver = new ShortNameResolver(config);
        Assert.Equal(["registry.fedoraproject.org/fedora:39"], resolver.Candidates(ImageReference.Parse("fedora:39")).Select(c => c.ToString()));
        Assert.Equal(["a.example/app:latest", "b.example/app:latest"], resolver.Candidates(ImageReference.Parse("app")).Select(c => c.NameWithTag));
        Assert.Equal(["q.example/app:1"], resolver.Candidates(ImageReference.Parse("q.example/app:1")).Select(c => c.ToString()));
    }

    [Fact]
    public void Loader_uses_the_environment_file_alone_and_drop_ins_otherwise()
    {
        string dir = Directory.CreateTempSubdirectory("skiff-regconf").FullName;
        try
        {
            string system = Path.Combine(dir, "etc");
            Directory.CreateDirectory(Path.Combine(system, "registries.conf.d"));
            File.WriteAllText(Path.Combine(system, "registries.conf"), "unqualified-search-registries = [\"sys.example\"]\n");
            File.WriteAllText(Path.Combine(system, "registries.conf.d", "shortnames.conf"), "[aliases]\n\"x\" = \"sys.example/x\"\n");
            string explicitFile = Path.Combine(dir, "mine.conf");
            File.WriteAllText(explicitFile, "unqualified-search-registries = [\"mine.example\"]\n");

            RegistriesConfig viaSystem = new RegistriesConfigLoader(new Dictionary<string, string?> { ["HOME"] = dir }, system).Load();
            Assert.Equal(["sys.example"], viaSystem.UnqualifiedSearchRegistries);
            Assert.Equal("sys.example/x", viaSystem.Aliases["x"]);

            RegistriesConfig viaEnvironment = new RegistriesConfigLoader(new Dictionary<string, string?> { ["HOME"] = dir, [RegistriesConfigLoader.EnvironmentVariable] = explicitFile }, system).Load();
            Assert.Equal(["mine.example"], viaEnvironment.UnqualifiedSearchRegistries);
            Assert.Empty(viaEnvironment.Aliases);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
