using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Skiff.Tests.Support;

/// <summary>
/// One image layer written with System.Formats.Tar: entries in the order added, fixed mtimes, so the
/// same calls give the same bytes and digests. Paths are image paths ("/etc/passwd"); the builder
/// writes them relative ("etc/passwd") as image tools do. <see cref="Entry"/> adds a hand-made entry
/// verbatim, for hostile archives.
/// </summary>
public sealed class LayerBuilder
{
    public static readonly DateTimeOffset FixedTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<Func<TarEntry>> entries = [];
    private readonly Dictionary<int, byte[]> raw = [];

    public int Count => entries.Count;

    public LayerBuilder Directory(string path, int mode = 0b111_101_101, int uid = 0, int gid = 0) =>
        Add(() => Make(TarEntryType.Directory, DirectoryName(path), mode, uid, gid));

    public LayerBuilder File(string path, string content, int mode = 0b110_100_100, int uid = 0, int gid = 0, IReadOnlyDictionary<string, string>? xattrs = null) =>
        File(path, Encoding.UTF8.GetBytes(content), mode, uid, gid, xattrs);

    public LayerBuilder File(string path, byte[] content, int mode = 0b110_100_100, int uid = 0, int gid = 0, IReadOnlyDictionary<string, string>? xattrs = null) =>
        Add(() =>
        {
            TarEntry entry = Make(TarEntryType.RegularFile, Relative(path), mode, uid, gid, xattrs);
            entry.DataStream = new MemoryStream(content, writable: false);
            return entry;
        });

    public LayerBuilder Symlink(string path, string target, int uid = 0, int gid = 0) =>
        Add(() =>
        {
            TarEntry entry = Make(TarEntryType.SymbolicLink, Relative(path), 0b111_111_111, uid, gid);
            entry.LinkName = target;
            return entry;
        });

    /// <summary>A hardlink to <paramref name="target"/>, an image path already in this layer or a lower one.</summary>
    public LayerBuilder Hardlink(string path, string target, int mode = 0b110_100_100, int uid = 0, int gid = 0) =>
        Add(() =>
        {
            TarEntry entry = Make(TarEntryType.HardLink, Relative(path), mode, uid, gid);
            entry.LinkName = Relative(target);
            return entry;
        });

    /// <summary>Deletes <paramref name="path"/> of a lower layer (<c>dir/.wh.name</c>).</summary>
    public LayerBuilder Whiteout(string path)
    {
        string relative = Relative(path);
        int slash = relative.LastIndexOf('/');
        string name = slash < 0 ? $".wh.{relative}" : $"{relative[..(slash + 1)]}.wh.{relative[(slash + 1)..]}";
        return Add(() => Make(TarEntryType.RegularFile, name, 0, 0, 0));
    }

    /// <summary>Hides everything lower layers put in <paramref name="directory"/> (<c>dir/.wh..wh..opq</c>); add the directory itself first.</summary>
    public LayerBuilder Opaque(string directory) =>
        Add(() => Make(TarEntryType.RegularFile, $"{DirectoryName(directory)}.wh..wh..opq", 0, 0, 0));

    public LayerBuilder CharacterDevice(string path, int major, int minor, int mode = 0b110_110_110) =>
        Device(TarEntryType.CharacterDevice, path, major, minor, mode);

    public LayerBuilder BlockDevice(string path, int major, int minor, int mode = 0b110_110_000) =>
        Device(TarEntryType.BlockDevice, path, major, minor, mode);

    public LayerBuilder Fifo(string path, int mode = 0b110_100_100, int uid = 0, int gid = 0) =>
        Add(() => Make(TarEntryType.Fifo, Relative(path), mode, uid, gid));

    /// <summary>
    /// Adds an entry exactly as made by <paramref name="factory"/> (name, type, link target untouched):
    /// for archives with "../", absolute names and other things the helpers above never produce.
    /// The factory runs each time the layer is written, so a DataStream is fresh every time.
    /// </summary>
    public LayerBuilder Entry(Func<TarEntry> factory) => Add(factory);

    /// <summary>
    /// Adds tar blocks verbatim (see <see cref="RawTar"/>): for what TarWriter cannot write, such as PAX
    /// records with binary values.
    /// </summary>
    public LayerBuilder Raw(byte[] blocks)
    {
        raw[entries.Count] = blocks;
        entries.Add(() => null!);
        return this;
    }

    /// <summary>The uncompressed tar stream.</summary>
    public byte[] ToTar()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            for (int i = 0; i < entries.Count; i++)
            {
                if (raw.TryGetValue(i, out byte[]? blocks))
                {
                    // TarWriter writes straight through, so raw blocks land between its entries.
                    buffer.Write(blocks);
                    continue;
                }

                writer.WriteEntry(entries[i]());
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Compress(byte[] tar, LayerCompression compression)
    {
        using var buffer = new MemoryStream();
        switch (compression)
        {
            case LayerCompression.None:
                return tar;
            case LayerCompression.Gzip:
                using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
                {
                    gzip.Write(tar);
                }

                break;
            case LayerCompression.Zstd:
                using (var zstd = new ZstdSharp.CompressionStream(buffer, 3, leaveOpen: true))
                {
                    zstd.Write(tar);
                }

                break;
        }

        return buffer.ToArray();
    }

    /// <summary>"/a/b" → "a/b": layer entries are relative to the root.</summary>
    public static string Relative(string path) => path.TrimStart('/');

    private static string DirectoryName(string path) => Relative(path).TrimEnd('/') + "/";

    private LayerBuilder Device(TarEntryType type, string path, int major, int minor, int mode) =>
        Add(() =>
        {
            TarEntry entry = Make(type, Relative(path), mode, 0, 0);
            ((PosixTarEntry)entry).DeviceMajor = major;
            ((PosixTarEntry)entry).DeviceMinor = minor;
            return entry;
        });

    private LayerBuilder Add(Func<TarEntry> factory)
    {
        entries.Add(factory);
        return this;
    }

    private static TarEntry Make(TarEntryType type, string name, int mode, int uid, int gid, IReadOnlyDictionary<string, string>? xattrs = null)
    {
        // Explicit attributes keep PAX headers free of the writer's own atime/ctime (determinism).
        var attributes = new Dictionary<string, string>();
        if (xattrs is not null)
        {
            foreach ((string key, string value) in xattrs)
            {
                attributes[$"SCHILY.xattr.{key}"] = value;
            }
        }

        var entry = new PaxTarEntry(type, name, attributes)
        {
            Mode = (UnixFileMode)mode,
            Uid = uid,
            Gid = gid,
            ModificationTime = FixedTime,
        };
        return entry;
    }
}
