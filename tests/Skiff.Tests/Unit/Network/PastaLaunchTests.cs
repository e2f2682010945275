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
}
