using Skiff.Core.Errors;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// The init of <c>--init</c>: skiff-init, a static program installed next to skiff (or in
/// ../libexec/skiff), bind-mounted read-only at <see cref="MountPoint"/> and run as the container's PID 1.
/// </summary>
public static class ContainerInitBinary
{
    public const string MountPoint = "/run/skiff-init";

    public const string FileName = "skiff-init";

    /// <summary>The init for a container: <paramref name="initPath"/> when given (podman's --init-path), else the one installed with skiff.</summary>
    public static string Find(string skiffExecutable, string? initPath)
    {
        if (initPath is not null)
        {
            string full = Path.GetFullPath(initPath);
            return File.Exists(full)
                ? full
                : throw SkiffException.NotFound($"container-init binary {full} does not exist", "give the path of a static init program (skiff-init, catatonit, tini-static)");
        }

        return CompanionFile.Find(skiffExecutable, FileName) ?? throw SkiffException.PrerequisiteMissing(
            $"container-init binary {FileName} not found next to {skiffExecutable}",
            "reinstall skiff with ./install.sh, or pass --init-path /usr/bin/catatonit");
    }
}
