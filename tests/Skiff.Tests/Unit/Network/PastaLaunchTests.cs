using Skiff.Rootless.Network;

namespace Skiff.Tests.Unit.Network;

public sealed class PastaLaunchTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("skiff-pasta-launch-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void On_an_AVX2_CPU_the_AVX2_build_next_to_the_real_binary_runs_under_pastas_name()
    {
        // Debian's layout: pasta -> passt, passt.avx2 beside it.
        File.WriteAllText(Path.Combine(directory, "passt"), string.Empty);
        File.WriteAllText(Path.Combine(directory, "passt.avx2"), string.Empty);
        string pasta = Path.Combine(directory, "pasta");
        File.CreateSymbolicLink(pasta, "passt");

        Assert.Equal(new PastaLaunch(Path.Combine(directory, "passt.avx2"), pasta), PastaLaunch.For(pasta, avx2: true));
        Assert.Equal(new PastaLaunch(pasta, pasta), PastaLaunch.For(pasta, avx2: false));
    }

    [Fact]
    public void Without_an_AVX2_build_or_when_it_is_the_AVX2_build_already_pasta_itself_runs()
    {
        string pasta = Path.Combine(directory, "pasta");
        File.WriteAllText(pasta, string.Empty);
        Assert.Equal(new PastaLaunch(pasta, pasta), PastaLaunch.For(pasta, avx2: true));

        string build = Path.Combine(directory, "pasta.avx2");
        File.WriteAllText(build, string.Empty);
        Assert.Equal(new PastaLaunch(build, build), PastaLaunch.For(build, avx2: true));
    }

    [Fact]
    public void The_preload_comes_first_in_LD_PRELOAD_and_keeps_the_users_own()
    {
        var launch = new PastaLaunch("/p/pasta.avx2", "/p/pasta", "/lib/skiff/skiff-hugebss.so");
        Assert.Equal("/lib/skiff/skiff-hugebss.so", launch.EnvironmentFrom(new() { ["PATH"] = "/bin" })["LD_PRELOAD"]);
        Assert.Equal("/lib/skiff/skiff-hugebss.so:/opt/mine.so", launch.EnvironmentFrom(new() { ["LD_PRELOAD"] = "/opt/mine.so" })["LD_PRELOAD"]);
        Assert.False(new PastaLaunch("/p/pasta", "/p/pasta").EnvironmentFrom(new() { ["PATH"] = "/bin" }).ContainsKey("LD_PRELOAD"));
        Assert.Equal("/opt/mine.so", new PastaLaunch("/p/pasta", "/p/pasta").EnvironmentFrom(new() { ["LD_PRELOAD"] = "/opt/mine.so" })["LD_PRELOAD"]);
    }

    [Fact]
    public void The_preload_is_the_one_installed_with_skiff_beside_it_or_in_libexec_unless_turned_off()
    {
        string bin = Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;
        string skiff = Path.Combine(bin, "skiff");
        File.WriteAllText(skiff, string.Empty);
        Assert.Null(PastaHugePages.Find(null, skiff));

        string libexec = Directory.CreateDirectory(Path.Combine(directory, "libexec", "skiff")).FullName;
        File.WriteAllText(Path.Combine(libexec, PastaHugePages.FileName), string.Empty);
        Assert.Equal(Path.Combine(libexec, PastaHugePages.FileName), PastaHugePages.Find(null, skiff));
        Assert.Equal(Path.Combine(libexec, PastaHugePages.FileName), PastaHugePages.Find("1", skiff));

        File.WriteAllText(Path.Combine(bin, PastaHugePages.FileName), string.Empty);
        Assert.Equal(Path.Combine(bin, PastaHugePages.FileName), PastaHugePages.Find(null, skiff));
        Assert.Null(PastaHugePages.Find("0", skiff));
        Assert.Null(PastaHugePages.Find(null, null));
    }
}
