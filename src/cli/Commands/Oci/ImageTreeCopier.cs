using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Unpack;
using Skiff.Runtime.Mounts;

namespace Skiff.Cli.Commands.Oci;

/// <summary>
/// tmpfs copy-up for the built-in runtime's init, with the fd-relative machinery that unpacks layers: the source
/// directory is read as a layer (<see cref="DiffTreeSource"/>: each child opened with <c>O_NOFOLLOW</c> relative to its
/// parent, symlinks read with readlinkat, never followed) and written with <see cref="LayerApplier"/>'s <c>*at</c>
/// calls, which keep owners, modes, times, hard links and xattrs and skip device nodes where mknod is refused
/// (rootless).
/// </summary>
public sealed class ImageTreeCopier : ITreeCopier
{
    public void Copy(string root, string source, string target)
    {
        using DirectoryHandle from = DirectoryHandle.Open(source);
        using DirectoryHandle to = DirectoryHandle.Open(target);
        FileStatus rootStatus;
        using (DirectoryHandle rootHandle = DirectoryHandle.Open(root))
        {
            rootStatus = Stat(rootHandle);
        }

        FileStatus sourceStatus = Stat(from);
        if ((sourceStatus.DeviceMajor, sourceStatus.DeviceMinor) != (rootStatus.DeviceMajor, rootStatus.DeviceMinor))
        {
            // Not the image's: a mount the container got earlier (--tmpfs /dev/shm is on /dev's tmpfs), or an image's
            // symlink onto /proc or /sys, some of whose files never end when read. The tmpfs stays empty.
            return;
        }

        try
        {
            new LayerApplier().Apply(new DiffTreeSource(from, new HashSet<string>()) { OneFileSystem = true }, to, new ApplyOptions { Whiteouts = WhiteoutStyle.Delete });
        }
        catch (IOException e)
        {
            throw SkiffException.Internal(e.Message, e);
        }
    }

    private static FileStatus Stat(DirectoryHandle directory) =>
        directory.TryStat(string.Empty) ?? throw SkiffException.Internal($"{directory.DisplayPath} vanished");
}
