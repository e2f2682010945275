using System.Globalization;

namespace Skiff.Rootless.Network;

/// <summary>Stops a background helper recorded in a pid file, after checking the pid still belongs to it.</summary>
public static class HelperPids
{
    public static void Kill(string pidFile)
    {
        string? text = null;
        try
        {
            text = File.ReadAllText(pidFile).Trim();
        }
        catch (IOException)
        {
            return;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return;
        }

        // A recycled pid must not be killed: the helper's command line names the pid file we gave it.
        string cmdline;
        try
        {
            cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            TryDelete(pidFile);
            return;
        }

        if (cmdline.Contains(pidFile, StringComparison.Ordinal))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        TryDelete(pidFile);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
