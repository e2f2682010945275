using Skiff.Images.Unpack;

namespace Skiff.Images.Building;

/// <summary>
/// A COPY or ADD source as the image gets it: entries the ignore file leaves out dropped (a directory left out
/// still given when a <c>!</c> pattern brings back something below it), owners set to <paramref name="uid"/>:<paramref name="gid"/>
/// (root unless <c>--chown</c>; null keeps the source's, as COPY --from does), and the permission bits replaced by
/// <paramref name="mode"/> when <c>--chmod</c> gave one.
/// </summary>
/// <param name="contextPathOf">The context-relative path of an entry, what the ignore patterns are matched against.</param>
public sealed class ContextEntrySource(ILayerEntrySource inner, IgnorePatterns ignore, Func<string, string> contextPathOf, uint? uid, uint? gid, uint? mode) : ILayerEntrySource
{
    public IEnumerable<LayerEntry> Entries(ICollection<string> warnings)
    {
        var dropped = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        foreach (LayerEntry raw in inner.Entries(warnings))
        {
            LayerEntry entry = raw with
            {
                Uid = uid ?? raw.Uid,
                Gid = gid ?? raw.Gid,
                Mode = mode is uint bits && raw.Kind != LayerEntryKind.Symlink ? (raw.Mode & ~0xFFFu) | bits : raw.Mode,
            };
            if (ignore.Excluded(contextPathOf(entry.Path)))
            {
                if (entry.Kind == LayerEntryKind.Directory && ignore.HasExceptions)
                {
                    dropped[entry.Path] = entry;
                }

                continue;
            }

            // Directories left out on the way to a path brought back by a '!' pattern come first.
            foreach (string parent in Parents(entry.Path))
            {
                if (dropped.Remove(parent, out LayerEntry? directory))
                {
                    yield return directory;
                }
            }

            yield return entry;
        }
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (int slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }
}
