using Skiff.Images.Files;

namespace Skiff.Tests.Unit.Unpack;

/// <summary>
/// Describes a tree by what image compatibility is about: names, types, modes, owners, sizes, link
/// targets, hardlink groups and extended attributes (not times, which tools legitimately differ on for
/// directories). Owners can be translated (rootless trees are owned by subordinate ids on the host).
/// </summary>
public static class TreeComparison
{
    public static List<string> Describe(string path, Func<uint, uint>? ownerToImage = null)
    {
        ownerToImage ??= id => id;
        var lines = new List<string>();
        var inodes = new Dictionary<ulong, List<string>>();
        using DirectoryHandle root = DirectoryHandle.Open(path);
        Walk(root, string.Empty, lines, inodes, ownerToImage);
        foreach (List<string> group in inodes.Values.Where(g => g.Count > 1))
        {
            group.Sort(StringComparer.Ordinal);
            lines.Add("hardlinks " + string.Join(' ', group));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static void Walk(DirectoryHandle directory, string prefix, List<string> lines, Dictionary<ulong, List<string>> inodes, Func<uint, uint> owner)
    {
        foreach (DirectoryEntry entry in directory.List())
        {
            string rel = prefix + "/" + entry.Name;
            FileStatus s = directory.Stat(entry.Name);
            string xattrs = string.Join(',', directory.ReadXattrs(entry.Name)
                .Where(x => !x.Key.StartsWith("trusted.overlay.", StringComparison.Ordinal) && !x.Key.StartsWith("user.overlay.", StringComparison.Ordinal))
                .OrderBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => x.Key + "=" + Convert.ToHexString(x.Value)));
            string link = s.Kind == FileKind.Symlink ? " -> " + directory.ReadLink(entry.Name) : string.Empty;
            string size = s.Kind == FileKind.Regular ? " " + s.Size : string.Empty;
            string dev = s.Kind is FileKind.CharDevice or FileKind.BlockDevice ? $" {s.RdevMajor}:{s.RdevMinor}" : string.Empty;
            lines.Add($"{rel} {s.Kind} {Convert.ToString(s.Mode, 8)} {owner(s.Uid)}:{owner(s.Gid)}{size}{dev}{link} [{xattrs}]");
            if (s.Kind == FileKind.Regular && s.Links > 1)
            {
                if (!inodes.TryGetValue(s.Inode, out List<string>? group))
                {
                    inodes[s.Inode] = group = [];
                }

                group.Add(rel);
            }

            if (s.Kind == FileKind.Directory)
            {
                using DirectoryHandle child = directory.OpenChild(entry.Name);
                Walk(child, rel, lines, inodes, owner);
            }
        }
    }
}
