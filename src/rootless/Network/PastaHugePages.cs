using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network;

/// <summary>
/// skiff-hugebss.so (src/rootless/Native/skiff-hugebss.c), preloaded into a container's pasta: it asks for
/// transparent huge pages for pasta's zero-initialised data before pasta runs, so pasta's start-up, which
/// writes zeroes over several MB of it, takes ~1,000 page faults instead of ~3,900 (~40 ms less CPU here,
/// bench/README.md, session 13). The price is a larger resident set (~24 MB instead of ~16 MB).
/// </summary>
public static class PastaHugePages
{
    public const string FileName = "skiff-hugebss.so";

    /// <summary>Set to 0: no preload (the smaller resident set).</summary>
    public const string EnvironmentVariable = "SKIFF_PASTA_HUGEPAGES";

    /// <summary>The preload for this process's pastas, installed with skiff; null when off or not installed.</summary>
    public static string? Find() => Find(Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.ProcessPath);

    public static string? Find(string? setting, string? skiffExecutable) =>
        setting == "0" || string.IsNullOrEmpty(skiffExecutable) ? null : CompanionFile.Find(skiffExecutable, FileName);

    /// <summary>LD_PRELOAD's value with <paramref name="preload"/> first and the libraries <paramref name="others"/> (the user's own) after it.</summary>
    public static string PreloadList(string preload, string? others) =>
        string.IsNullOrEmpty(others) ? preload : preload + ":" + others;
}
