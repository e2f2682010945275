using System.Runtime.Intrinsics.X86;

namespace Skiff.Rootless.Network;

/// <summary>
/// The file to exec for pasta and the name it runs under (argv[0], which tells passt's binary to be pasta).
/// On a CPU with AVX2, pasta's first step is to exec its AVX2 build (the real path of its binary plus
/// <c>.avx2</c>) with the same arguments; skiff execs that build itself, which is the same program with the
/// same argv, one exec (~2 ms of pasta's start-up, on the start path of every container with the default
/// network) sooner.
/// </summary>
public sealed record PastaLaunch(string Executable, string Name)
{
    public static PastaLaunch For(string pasta) => For(pasta, Avx2.IsSupported);

    /// <param name="pasta">The pasta found (<see cref="NetworkHelpers.Pasta"/>).</param>
    /// <param name="avx2">Whether the CPU (and the kernel) support AVX2, as pasta checks with __builtin_cpu_supports.</param>
    public static PastaLaunch For(string pasta, bool avx2)
    {
        if (!avx2)
        {
            return new PastaLaunch(pasta, pasta);
        }

        try
        {
            string real = new FileInfo(pasta).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(pasta);
            // A binary that already is the AVX2 build does not exec again.
            string build = real.EndsWith(".avx2", StringComparison.Ordinal) ? real : real + ".avx2";
            return new PastaLaunch(File.Exists(build) ? build : pasta, pasta);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PastaLaunch(pasta, pasta);
        }
    }
}
