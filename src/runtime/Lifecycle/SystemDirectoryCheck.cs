using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Refuses a root filesystem whose /dev, /proc or /sys is a symbolic link. The runtime mounts over
/// these and creates entries in them; runc 1.1 (Debian 12) creates the /dev/fd, /dev/stdin, … links
/// through a symlinked /dev on the host path it names. skiff's own runtime resolves inside the root,
/// but such an image is broken anyway, so no runtime gets it.
/// </summary>
public static class SystemDirectoryCheck
{
    private static readonly string[] Directories = ["dev", "proc", "sys"];

    /// <param name="rootfs">The container's root, a trusted path; only its direct entries are inspected, without following links.</param>
    public static void Verify(string rootfs)
    {
        foreach (string name in Directories)
        {
            var entry = new FileInfo(Path.Combine(rootfs, name));
            if (entry.LinkTarget is string target)
            {
                throw SkiffException.InvalidArgument(
                    $"the container's /{name} is a symbolic link (to {target}): refusing to mount over it",
                    $"make /{name} a directory in the image");
            }
        }
    }
}
