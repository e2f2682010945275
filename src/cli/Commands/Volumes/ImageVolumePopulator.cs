using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Unpack;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Volumes;

/// <summary>
/// Copy-up with the same fd-relative machinery that unpacks layers: the source is opened with
/// <c>openat2(RESOLVE_IN_ROOT)</c> against the container's root, so a symlink at the mount point (or
/// anywhere below it) never leads out of the container; the tree is then walked and written with
/// <c>*at</c> calls that never follow a final symlink.
/// </summary>
public sealed class ImageVolumePopulator : IVolumePopulator
{
    public void Populate(string rootfs, string destination, string volumeData)
    {
        using DirectoryHandle root = DirectoryHandle.Open(rootfs);
        using DirectoryHandle? source = root.TryOpenInRoot(destination);
        if (source is null)
        {
            return;
        }

        using DirectoryHandle target = DirectoryHandle.Open(volumeData);
        try
        {
            new LayerApplier().Apply(new DiffTreeSource(source, new HashSet<string>()), target, new ApplyOptions { Whiteouts = WhiteoutStyle.Delete });
        }
        catch (IOException e)
        {
            throw SkiffException.Internal($"copying the image's content at {destination} into the new volume: {e.Message}", e);
        }
    }
}
