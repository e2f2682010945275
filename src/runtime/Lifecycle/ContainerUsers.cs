using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Resolves a container's user against the account files of its (mounted) root filesystem, read
/// confined to that root. A hostile account file (a FIFO, a device, a symlink to /dev/zero or out of
/// the image) fails the start with a clear error even for numeric users: the OCI runtime reads the
/// same file inside the container, where it would hang on a FIFO or read /dev/zero forever.
/// </summary>
public static class ContainerUsers
{
    public static ContainerUser Resolve(string rootfs, string user, IReadOnlyList<string> groupAdd) =>
        UserResolver.Resolve(user, groupAdd, Read(rootfs, "/etc/passwd"), Read(rootfs, "/etc/group"));

    private static string? Read(string rootfs, string path) =>
        UserResolver.Decode(RootedFile.TryReadAll(rootfs, path, UserResolver.MaxFileSize));
}
