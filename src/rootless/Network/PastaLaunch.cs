using System.Runtime.Intrinsics.X86;

namespace Skiff.Rootless.Network;

/// <summary>
/// The file to exec for pasta and the name it runs under (argv[0], which tells passt's binary to be pasta).
/// On a CPU with AVX2, pasta's first step is to exec its AVX2 build (the real path of its binary plus
/// <c>.avx2</c>) with the same arguments; skiff execs that build itself, which is the same program with the
/// same argv, one exec (~2 ms of pasta's start-up, on the start path of every container with the default
/// network) sooner. <see cref="Preload"/> is a library for the loader to preload into it (<see cref="PastaHugePages"/>).
/// </summary>
public sealed record PastaLaunch(string Executable, string Name, string? Preload = null)
{
    public static PastaLaunch For(string pasta) => For(pasta, CpuHasAvx2()) with { Preload = PastaHugePages.Find() };

    /// <summary><paramref name="environment"/> (changed) with <see cref="Preload"/> first in LD_PRELOAD: what to exec pasta with.</summary>
    public Dictionary<string, string> EnvironmentFrom(Dictionary<string, string> environment)
    {
        if (Preload is not null)
        {
            environment["LD_PRELOAD"] = PastaHugePages.PreloadList(Preload, environment.GetValueOrDefault("LD_PRELOAD"));
        }

        return environment;
    }

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

    /// <summary>
    /// CPUID's AVX2 bit, with AVX and OSXSAVE (the kernel enabled XSAVE; Linux then enables the AVX state of a
    /// CPU that has AVX). Not Avx2.IsSupported: NativeAOT compiles that to false for its x64 baseline.
    /// </summary>
    private static bool CpuHasAvx2()
    {
        if (!X86Base.IsSupported)
        {
            return false;
        }

        const int OsXsave = 1 << 27;
        const int AvxBit = 1 << 28;
        const int Avx2Bit = 1 << 5;
        (_, _, int features, _) = X86Base.CpuId(1, 0);
        if ((features & (OsXsave | AvxBit)) != (OsXsave | AvxBit))
        {
            return false;
        }

        (_, int extended, _, _) = X86Base.CpuId(7, 0);
        return (extended & Avx2Bit) != 0;
    }
}
