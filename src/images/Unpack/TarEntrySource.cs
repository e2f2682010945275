using System.Formats.Tar;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Images.Files;

namespace Skiff.Images.Unpack;

/// <summary>
/// Decodes an uncompressed layer tar (ustar, PAX, GNU long names) into <see cref="LayerEntry"/>s, turning
/// the OCI whiteout spelling (<c>.wh.NAME</c>, <c>.wh..wh..opq</c>) into whiteout and opaque entries.
/// </summary>
public sealed class TarEntrySource(Stream tar, long maxEntries) : ILayerEntrySource
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    private const string XattrPrefix = "SCHILY.xattr.";

    public IEnumerable<LayerEntry> Entries(ICollection<string> warnings)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        long count = 0;
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = reader.GetNextEntry(copyData: false);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or EndOfStreamException)
            {
                throw SkiffException.InvalidArgument($"layer is not a valid tar archive: {e.Message}");
            }

            if (entry is null)
            {
                yield break;
            }

            if (++count > maxEntries)
            {
                throw SkiffException.InvalidArgument($"layer has more than {maxEntries} entries", "the limit guards against decompression bombs; raise it in the storage settings if the image is genuine");
            }

            LayerEntry? decoded = Decode(entry, warnings);
            if (decoded is not null)
            {
                yield return decoded;
            }
        }
    }

    private static LayerEntry? Decode(TarEntry entry, ICollection<string> warnings)
    {
        LayerEntryKind kind;
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                kind = LayerEntryKind.File;
                break;
            case TarEntryType.Directory:
                kind = LayerEntryKind.Directory;
                break;
            case TarEntryType.SymbolicLink:
                kind = LayerEntryKind.Symlink;
                break;
            case TarEntryType.HardLink:
                kind = LayerEntryKind.HardLink;
                break;
            case TarEntryType.CharacterDevice:
                kind = LayerEntryKind.CharDevice;
                break;
            case TarEntryType.BlockDevice:
                kind = LayerEntryKind.BlockDevice;
                break;
            case TarEntryType.Fifo:
                kind = LayerEntryKind.Fifo;
                break;
            case TarEntryType.GlobalExtendedAttributes:
                return null;
            case TarEntryType.SparseFile:
                throw SkiffException.InvalidArgument($"layer entry {entry.Name} is a GNU sparse file, which image layers do not use");
            default:
                warnings.Add($"skipped layer entry {entry.Name} of unsupported tar type {entry.EntryType}");
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

        if (entry.Uid < 0 || entry.Gid < 0)
        {
            throw SkiffException.InvalidArgument($"layer entry {entry.Name} has a negative owner");
        }

        DateTimeOffset mtime = entry.ModificationTime;
        long seconds = mtime.ToUnixTimeSeconds();
        long ticks = (mtime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) - (seconds * TimeSpan.TicksPerSecond);
        uint major = 0;
        uint minor = 0;
        if (entry is PosixTarEntry posix && kind is LayerEntryKind.CharDevice or LayerEntryKind.BlockDevice)
        {
            major = (uint)posix.DeviceMajor;
            minor = (uint)posix.DeviceMinor;
        }

        return new LayerEntry
        {
            Path = path,
            Kind = kind,
            Mode = (uint)entry.Mode & 0xFFF,
            Uid = (uint)entry.Uid,
            Gid = (uint)entry.Gid,
            MtimeSeconds = seconds,
            MtimeNanoseconds = (uint)(ticks * 100),
            LinkTarget = linkTarget,
            DeviceMajor = major,
            DeviceMinor = minor,
            Size = kind == LayerEntryKind.File ? entry.Length : 0,
            Xattrs = Xattrs(entry, warnings),
            Data = kind == LayerEntryKind.File ? entry.DataStream : null,
        };
    }

    private static IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs(TarEntry entry, ICollection<string> warnings)
    {
        if (entry is not PaxTarEntry pax)
        {
            return [];
        }

        List<KeyValuePair<string, byte[]>>? result = null;
        foreach ((string key, string value) in pax.ExtendedAttributes)
        {
            if (!key.StartsWith(XattrPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            // System.Formats.Tar decodes PAX values as UTF-8, so a binary value with bytes that are not
            // valid UTF-8 arrives with U+FFFD in it and cannot be restored exactly: skip it, loudly.
            if (value.Contains('\uFFFD'))
            {
                warnings.Add($"skipped extended attribute {key[XattrPrefix.Length..]} of {entry.Name}: its binary value cannot be decoded");
                continue;
            }

            (result ??= []).Add(new(key[XattrPrefix.Length..], Encoding.UTF8.GetBytes(value)));
        }

        return (IReadOnlyList<KeyValuePair<string, byte[]>>?)result ?? [];
    }
}
