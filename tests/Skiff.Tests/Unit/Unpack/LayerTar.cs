using System.Formats.Tar;
using System.Text;

namespace Skiff.Tests.Unit.Unpack;

/// <summary>Builds layer tarballs entry by entry (PAX format, like the tars buildkit and containers/image write).</summary>
public sealed class LayerTar
{
    private readonly List<PaxTarEntry> entries = [];
    private readonly DateTimeOffset mtime = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public LayerTar File(string name, string content = "x", int mode = 0x1A4, int uid = 0, int gid = 0, Dictionary<string, string>? xattrs = null)
    {
        var entry = Entry(TarEntryType.RegularFile, name, mode, uid, gid, xattrs);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        entries.Add(entry);
        return this;
    }

    public LayerTar Dir(string name, int mode = 0x1ED, int uid = 0, int gid = 0, Dictionary<string, string>? xattrs = null)
    {
        entries.Add(Entry(TarEntryType.Directory, name, mode, uid, gid, xattrs));
        return this;
    }

    public LayerTar Symlink(string name, string target, int uid = 0, int gid = 0)
    {
        var entry = Entry(TarEntryType.SymbolicLink, name, 0x1FF, uid, gid, null);
        entry.LinkName = target;
        entries.Add(entry);
        return this;
    }

    public LayerTar HardLink(string name, string target)
    {
        var entry = Entry(TarEntryType.HardLink, name, 0x1A4, 0, 0, null);
        entry.LinkName = target;
        entries.Add(entry);
        return this;
    }

    public LayerTar Device(string name, TarEntryType type, int major, int minor, int mode = 0x1B6)
    {
        var entry = Entry(type, name, mode, 0, 0, null);
        entry.DeviceMajor = major;
        entry.DeviceMinor = minor;
        entries.Add(entry);
        return this;
    }

    public LayerTar Fifo(string name, int mode = 0x1A4)
    {
        entries.Add(Entry(TarEntryType.Fifo, name, mode, 0, 0, null));
        return this;
    }

    /// <summary>An OCI whiteout for <paramref name="path"/> (".wh." joined to the last component).</summary>
    public LayerTar Whiteout(string path)
    {
        int slash = path.LastIndexOf('/');
        return File(slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..], string.Empty);
    }

    public LayerTar Opaque(string directory) => File(directory.TrimEnd('/') + "/.wh..wh..opq", string.Empty);

    public byte[] ToBytes()
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (PaxTarEntry entry in entries)
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    private PaxTarEntry Entry(TarEntryType type, string name, int mode, int uid, int gid, Dictionary<string, string>? xattrs)
    {
        var attributes = new Dictionary<string, string>();
        foreach ((string key, string value) in xattrs ?? [])
        {
            attributes["SCHILY.xattr." + key] = value;
        }

        return new PaxTarEntry(type, name, attributes)
        {
            Mode = (UnixFileMode)mode,
            Uid = uid,
            Gid = gid,
            ModificationTime = mtime,
        };
    }
}
