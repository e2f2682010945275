using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// The mounts a container gets beside its own flags', as podman 4.3 makes them: its image's VOLUMEs as --image-volume
/// says, and with --read-only (unless --read-only-tmpfs=false) a read-write tmpfs on /run, /tmp and /var/tmp.
/// A destination the user's own mounts already cover keeps the user's mount.
/// </summary>
public static class ImageVolumes
{
    /// <summary>A new anonymous volume on each (filled from the image at first start); podman's default.</summary>
    public const string Bind = "bind";

    /// <summary>A tmpfs on each, holding a copy of what the image has there.</summary>
    public const string Tmpfs = "tmpfs";

    public const string Ignore = "ignore";

    public static IReadOnlyList<string> ReadOnlyTmpfsDestinations { get; } = ["/run", "/tmp", "/var/tmp"];

    public static string ParseMode(string? value) => value switch
    {
        Bind or Tmpfs or Ignore => value,
        _ => throw SkiffException.InvalidArgument($"invalid image volume mode \"{value}\" required value: bind, tmpfs, ignore"),
    };

    /// <summary>
    /// <paramref name="requested"/> with a tmpfs added on each of <paramref name="destinations"/> the user's mounts do not
    /// cover, with the options a --tmpfs without options gets (so the image's content there is copied in).
    /// </summary>
    public static IReadOnlyList<ContainerMount> AddTmpfs(IReadOnlyList<ContainerMount> requested, IEnumerable<string> destinations)
    {
        var covered = requested.Select(m => Clean(m.Destination)).ToHashSet(StringComparer.Ordinal);
        var result = requested.ToList();
        foreach (string destination in destinations.Select(Clean))
        {
            if (destination != "/" && covered.Add(destination))
            {
                result.Add(new ContainerMount("tmpfs", "tmpfs", destination, null, MountFlags.TmpfsOptions([])));
            }
        }

        return result;
    }

    private static string Clean(string path) => "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
}
