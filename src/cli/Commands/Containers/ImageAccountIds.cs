using System.Globalization;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Unpack;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// How many ids an image's accounts need, which sizes a --userns=auto block given no size: one more than the
/// highest uid or gid of its /etc/passwd, leaving out the user "nobody" (whose 65534 would make every block
/// the whole range), as podman 4.3 counts them (it reads no /etc/group).
/// </summary>
public static class ImageAccountIds
{
    /// <summary>The count from the image's /etc/passwd, read from the topmost layer that has or removes it; 0 without one.</summary>
    public static uint Of(LayerStore layers, IReadOnlyList<Digest> chainIds)
    {
        for (int i = chainIds.Count - 1; i >= 0; i--)
        {
            LayerInfo? info = layers.TryGet(chainIds[i]);
            if (info is null || info.Whiteouts.Any(w => w.Trim('/') is "etc/passwd" or "etc"))
            {
                return 0;
            }

            try
            {
                if (UserResolver.Decode(RootedFile.TryReadAll(layers.DiffPath(chainIds[i]), "/etc/passwd", UserResolver.MaxFileSize)) is { } passwd)
                {
                    return Count(passwd);
                }
            }
            catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
            {
                // Not a regular file, too large, unreadable: the size falls back to podman's minimum.
                return 0;
            }

            if (info.OpaqueDirectories.Any(o => o.Trim('/') is "etc" or ""))
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>One more than the highest uid or gid in a passwd file, not counting "nobody".</summary>
    public static uint Count(string passwd)
    {
        uint highest = 0;
        bool any = false;
        foreach (string line in passwd.Split('\n'))
        {
            string[] fields = line.Split(':');
            if (fields.Length < 4 || fields[0] is "nobody" || fields[0].Length == 0)
            {
                continue;
            }

            foreach (string field in fields[2..4])
            {
                if (uint.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out uint id) && id < uint.MaxValue)
                {
                    highest = Math.Max(highest, id);
                    any = true;
                }
            }
        }

        return any ? highest + 1 : 0;
    }
}
