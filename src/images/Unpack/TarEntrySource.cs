using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Unpack.Tar;

namespace Skiff.Images.Unpack;

/// <summary>
/// Decodes an uncompressed layer tar (ustar, PAX, GNU long names) into <see cref="LayerEntry"/>s, turning
/// the OCI whiteout spelling (<c>.wh.NAME</c>, <c>.wh..wh..opq</c>) into whiteout and opaque entries.
/// </summary>
public sealed class TarEntrySource(Stream tar, long maxEntries) : ILayerEntrySource
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    public IEnumerable<LayerEntry> Entries(ICollection<string> warnings)
    {
        var reader = new TarStreamReader(tar);
        long count = 0;
        while (reader.Next() is { } entry)
        {
            if (++count > maxEntries)
            {
                throw SkiffException.InvalidArgument($"layer has more than {maxEntries} entries", "the limit guards against decompression bombs; raise it in the storage settings if the image is genuine");
            }

            LayerEntry? decoded = Decode(entry, reader.Data, warnings);
            if (decoded is not null)
            {
                yield return decoded;
            }
        }
    }

    private static LayerEntry? Decode(TarHeader entry, Stream data, ICollection<string> warnings)
    {
        LayerEntryKind kind;
        switch (entry.TypeFlag)
        {
            case (byte)'0' or 0 or (byte)'7':
                kind = LayerEntryKind.File;
                break;
            case (byte)'5':
                kind = LayerEntryKind.Directory;
                break;
            case (byte)'2':
                kind = LayerEntryKind.Symlink;
                break;
            case (byte)'1':
                kind = LayerEntryKind.HardLink;
                break;
            case (byte)'3':
                kind = LayerEntryKind.CharDevice;
                break;
            case (byte)'4':
                kind = LayerEntryKind.BlockDevice;
                break;
            case (byte)'6':
                kind = LayerEntryKind.Fifo;
                break;
            case (byte)'S':
                throw SkiffException.InvalidArgument($"layer entry {entry.Name} is a GNU sparse file, which image layers do not use");
            default:
                warnings.Add($"skipped layer entry {entry.Name} of unsupported tar type '{(char)entry.TypeFlag}'");
                return null;
        }

        IReadOnlyList<string> parts = TreePath.Components(entry.Name);
        string path = string.Join('/', parts);
        string baseName = parts.Count == 0 ? string.Empty : parts[^1];
        string parent = parts.Count <= 1 ? string.Empty : string.Join('/', parts.Take(parts.Count - 1));

        if (baseName == OpaqueMarker)
        {
            return new LayerEntry { Path = parent, Kind = LayerEntryKind.Opaque };
        }

        if (baseName.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            string victim = baseName[WhiteoutPrefix.Length..];
            if (victim is "" or "." or ".." || victim.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                throw SkiffException.InvalidArgument($"layer has an invalid whiteout entry: {entry.Name}");
            }

            return new LayerEntry { Path = parent.Length == 0 ? victim : parent + "/" + victim, Kind = LayerEntryKind.Whiteout };
        }

        string? linkTarget = null;
        if (kind == LayerEntryKind.Symlink)
        {
            linkTarget = entry.LinkName;
            if (linkTarget.Length == 0 || linkTarget.Length > TreePath.MaxPathLength)
            {
                throw SkiffException.InvalidArgument($"layer symlink {entry.Name} has an invalid target length");
            }
        }
        else if (kind == LayerEntryKind.HardLink)
        {
            linkTarget = TreePath.Clean(entry.LinkName);
            if (linkTarget.Length == 0)
            {
                throw SkiffException.InvalidArgument($"layer hard link {entry.Name} points at the root directory");
            }
        }

        if (entry.Uid is < 0 or > uint.MaxValue || entry.Gid is < 0 or > uint.MaxValue)
        {
            throw SkiffException.InvalidArgument($"layer entry {entry.Name} has a negative or out of range owner");
        }

        if (entry.DeviceMajor is < 0 or > uint.MaxValue || entry.DeviceMinor is < 0 or > uint.MaxValue)
        {
            throw SkiffException.InvalidArgument($"layer entry {entry.Name} has an invalid device number");
        }

        return new LayerEntry
        {
            Path = path,
            Kind = kind,
            Mode = (uint)(entry.Mode & 0xFFF),
            Uid = (uint)entry.Uid,
            Gid = (uint)entry.Gid,
            MtimeSeconds = entry.MtimeSeconds,
            MtimeNanoseconds = entry.MtimeNanoseconds,
            LinkTarget = linkTarget,
            DeviceMajor = (uint)entry.DeviceMajor,
            DeviceMinor = (uint)entry.DeviceMinor,
            Size = kind == LayerEntryKind.File ? entry.Size : 0,
            Xattrs = entry.Xattrs,
            Data = kind == LayerEntryKind.File ? data : null,
        };
    }
}
