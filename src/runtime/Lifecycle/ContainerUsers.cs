using Skiff.Core.Errors;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Lifecycle;

/// <summary>Resolves a container's user against the account files of its (mounted) root filesystem, read confined to that root.</summary>
public static class ContainerUsers
{
    public static ContainerUser Resolve(string rootfs, string user, IReadOnlyList<string> groupAdd)
    {
        bool needed = UserResolver.NeedsLookup(user, groupAdd);
        return UserResolver.Resolve(user, groupAdd, Read(rootfs, "/etc/passwd", needed), Read(rootfs, "/etc/group", needed));
    }

    /// <summary>
    /// A file that names are looked up in must be readable; for numeric ids it only adds the gid and
    /// HOME, so a broken one is ignored as runc does.
    /// </summary>
    private static string? Read(string rootfs, string path, bool needed)
    {
        try
        {
            return UserResolver.Decode(RootedFile.TryReadAll(rootfs, path, UserResolver.MaxFileSize));
        }
        catch (SkiffException) when (!needed)
        {
            // SystemCallException included: it is a SkiffException.
            return null;
        }
    }
}
