using Skiff.Core.Errors;

namespace Skiff.Images.Files;

/// <summary>
/// Lexical handling of untrusted paths inside a tree. A path is cleaned as if it were rooted at the
/// tree's top, so "..", "./" and leading "/" can never climb above it (the same rule containerd
/// and Go's filepath.Clean("/"+p) apply); symlinks are left to <c>openat2(RESOLVE_IN_ROOT)</c>.
/// </summary>
public static class TreePath
{
    /// <summary>Linux PATH_MAX: longer names cannot be created anyway.</summary>
    public const int MaxPathLength = 4096;

    /// <summary>Linux NAME_MAX for one component.</summary>
    public const int MaxComponentLength = 255;

    /// <summary>Splits and cleans <paramref name="path"/>; the empty list is the tree's top.</summary>
    public static IReadOnlyList<string> Components(string path)
    {
        if (path.Length > MaxPathLength)
        {
            throw SkiffException.InvalidArgument($"path in layer is longer than {MaxPathLength} characters: {Shorten(path)}");
        }

        if (path.Contains('\0'))
        {
            throw SkiffException.InvalidArgument($"path in layer contains a NUL byte: {Shorten(path)}");
        }

        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (parts.Count > 0)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }

                    continue;
                default:
                    if (System.Text.Encoding.UTF8.GetByteCount(part) > MaxComponentLength)
                    {
                        throw SkiffException.InvalidArgument($"path component in layer is longer than {MaxComponentLength} bytes: {Shorten(path)}");
                    }

                    parts.Add(part);
                    break;
            }
        }

        return parts;
    }

    /// <summary>The cleaned path joined with "/" and without a leading slash ("" for the top).</summary>
    public static string Clean(string path) => string.Join('/', Components(path));

    /// <summary>The cleaned parent ("" for top-level names) and the last component (null for the top itself).</summary>
    public static (string Parent, string? Leaf) Split(string path)
    {
        IReadOnlyList<string> parts = Components(path);
        if (parts.Count == 0)
        {
            return (string.Empty, null);
        }

        return (string.Join('/', parts.Take(parts.Count - 1)), parts[^1]);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="ancestor"/> or below it (both cleaned).</summary>
    public static bool IsWithin(string path, string ancestor) =>
        ancestor.Length == 0 || path == ancestor || (path.Length > ancestor.Length && path.StartsWith(ancestor, StringComparison.Ordinal) && path[ancestor.Length] == '/');

    private static string Shorten(string path) => path.Length <= 120 ? path : path[..120] + "…";
}
