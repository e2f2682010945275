using System.Globalization;

namespace Skiff.Tests.Support;

/// <summary>The host's processes by command line (/proc/PID/cmdline, NUL-separated), for tests that check which helpers run.</summary>
public static class ProcessTable
{
    /// <summary>The processes whose command line <paramref name="matches"/> says yes to.</summary>
    public static List<int> Where(Func<string, bool> matches)
    {
        var found = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                if (matches(File.ReadAllText(Path.Combine(directory, "cmdline"))))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while the table was read.
            }
        }

        return found;
    }

    /// <summary>The processes whose command line contains <paramref name="text"/>.</summary>
    public static List<int> Mentioning(string text) => Where(cmdline => cmdline.Contains(text, StringComparison.Ordinal));

    /// <summary>The command lines, arguments joined by spaces, of the processes whose command line contains <paramref name="text"/>.</summary>
    public static List<string> CommandLinesMentioning(string text) =>
        Mentioning(text).Select(CommandLine).Where(c => c.Length > 0).Select(c => c.Replace('\0', ' ')).ToList();

    /// <summary>A process's command line, empty once it is gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
