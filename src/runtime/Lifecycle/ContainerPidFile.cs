using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's --pidfile: the container's pid (as the host sees it, no newline, as podman writes it), written on
/// every start before the process runs, and removed with the container.
/// </summary>
public static class ContainerPidFile
{
    /// <summary>At create: the file's directory must exist (podman's runtime fails the start on one that does not).</summary>
    public static string Validate(string path, string flag = "--pidfile")
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw SkiffException.InvalidArgument($"{flag} {full} is a directory", $"give {flag} the path of a file");
        }

        if (Path.GetDirectoryName(full) is { } directory && !Directory.Exists(directory))
        {
            throw SkiffException.NotFound($"{flag} {full}: directory {directory} does not exist", "create the directory first, or give another path");
        }

        return full;
    }

    public static void Write(string path, int pid)
    {
        try
        {
            File.WriteAllText(path, pid.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"writing the pid file {path}: {e.Message}", "give --pidfile a path you can write");
        }
    }

    /// <summary>Removes the file when the container goes; one already gone (or never written) is fine.</summary>
    public static void TryRemove(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
