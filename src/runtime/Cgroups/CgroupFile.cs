using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Core.Files;

namespace Skiff.Runtime.Cgroups;

/// <summary>Reads and writes cgroup interface files, turning failures into errors that name the file and value.</summary>
public static class CgroupFile
{
    public static void Write(string directory, string name, string value)
    {
        string path = Path.Combine(directory, name);
        try
        {
            // One write() per value: the kernel parses each write separately, so the value must not be split.
            // O_TRUNC is what a shell's redirection does; cgroupfs ignores it.
            using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            byte[] bytes = System.Text.Encoding.ASCII.GetBytes(value);
            stream.Write(bytes);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"cannot write '{value}' to {path}: permission denied", null, e);
        }
        catch (IOException e)
        {
            throw new SkiffException(ErrorKind.Unavailable, $"cannot write '{value}' to {path}: {e.Message}", null, e);
        }
    }

    public static void Write(string directory, string name, long value) =>
        Write(directory, name, value.ToString(CultureInfo.InvariantCulture));

    public static string? TryRead(string directory, string name)
    {
        try
        {
            return KernelFile.ReadAllText(Path.Combine(directory, name));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static ulong? TryReadNumber(string directory, string name)
    {
        string? text = TryRead(directory, name)?.Trim();
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value : null;
    }

    /// <summary>The value of "key N" in a flat keyed file (memory.stat, memory.events, cpu.stat, memory.oom_control).</summary>
    public static ulong? TryReadKey(string directory, string name, string key)
    {
        string? text = TryRead(directory, name);
        if (text is null)
        {
            return null;
        }

        foreach (string line in text.Split('\n'))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key
                && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                return value;
            }
        }

        return null;
    }

    public static IReadOnlyList<int> ReadProcesses(string directory)
    {
        string? text = TryRead(directory, "cgroup.procs");
        if (text is null)
        {
            return [];
        }

        var pids = new List<int>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>
    /// Removes a cgroup directory, waiting briefly for exiting tasks to leave it (rmdir fails with EBUSY
    /// until the last task is reaped). True when the directory is gone.
    /// </summary>
    public static bool TryRemoveDirectory(string directory, Action<string> killAll)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (!Directory.Exists(directory))
            {
                return true;
            }

            try
            {
                Directory.Delete(directory, recursive: false);
                return true;
            }
            catch (IOException)
            {
                // Groups a process made below (systemd in the container makes init.scope, system.slice, ...) keep
                // this one busy after their processes are gone.
                RemoveChildGroups(directory);
                killAll(directory);
                Thread.Sleep(10);
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        return !Directory.Exists(directory);
    }

    /// <summary>Removes the groups below <paramref name="directory"/>, deepest first; one still in use stays.</summary>
    private static void RemoveChildGroups(string directory)
    {
        string[] children;
        try
        {
            children = Directory.GetDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string child in children)
        {
            RemoveChildGroups(child);
            try
            {
                Directory.Delete(child, recursive: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still has processes: the caller kills them and tries again.
            }
        }
    }

    public static void KillProcesses(string directory)
    {
        foreach (int pid in ReadProcesses(directory))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Exited between the read and the kill.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not ours to kill (EPERM); rmdir will report the group as busy.
            }
        }
    }
}
