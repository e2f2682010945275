namespace Skiff.Runtime.Process;

/// <summary>
/// A file installed with skiff (skiff-init, skiff-relay, skiff-hugebss.so): next to the skiff binary (a
/// publish directory, tests/run.sh's copy) or in ../libexec/skiff (install.sh's layout).
/// </summary>
public static class CompanionFile
{
    /// <summary>The path of <paramref name="fileName"/> installed with <paramref name="skiffExecutable"/>; null when it is not there.</summary>
    public static string? Find(string skiffExecutable, string fileName)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(skiffExecutable)) ?? "/";
        string beside = Path.Combine(directory, fileName);
        if (File.Exists(beside))
        {
            return beside;
        }

        string libexec = Path.GetFullPath(Path.Combine(directory, "..", "libexec", "skiff", fileName));
        return File.Exists(libexec) ? libexec : null;
    }
}
