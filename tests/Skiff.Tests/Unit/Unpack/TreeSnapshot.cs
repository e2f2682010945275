using System.Security.Cryptography;
using System.Text;
using Skiff.Images.Files;

namespace Skiff.Tests.Unit.Unpack;

/// <summary>A text description of a directory tree (types, modes, owners, sizes, content hashes, link targets, mtimes) for before/after comparisons.</summary>
public static class TreeSnapshot
{
    public static string Of(string path)
    {
        var lines = new List<string>();
        using DirectoryHandle root = DirectoryHandle.Open(path);
        Walk(root, string.Empty, lines, path);
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static void Walk(DirectoryHandle directory, string prefix, List<string> lines, string hostPath)
    {
        foreach (DirectoryEntry entry in directory.List())
        {
            string rel = prefix + "/" + entry.Name;
            FileStatus s = directory.Stat(entry.Name);
            string extra = s.Kind switch
            {
                FileKind.Symlink => "-> " + directory.ReadLink(entry.Name),
                FileKind.Regular => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(hostPath + rel))),
                _ => string.Empty,
            };
            lines.Add($"{rel} {s.Kind} {Convert.ToString(s.Mode, 8)} {s.Uid}:{s.Gid} {s.Size} {s.MtimeSeconds}.{s.MtimeNanoseconds} {extra}");
            if (s.Kind == FileKind.Directory)
            {
                using DirectoryHandle child = directory.OpenChild(entry.Name);
                Walk(child, rel, lines, hostPath);
            }
        }
    }
}
