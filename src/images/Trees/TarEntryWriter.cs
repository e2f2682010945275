using System.Formats.Tar;
using Skiff.Images.Unpack;

namespace Skiff.Images.Trees;

/// <summary>
/// Writes layer entries as a POSIX (pax) tar stream: <c>export</c> and <c>cp</c> to standard output (whiteouts and
/// opaque markers left out), and <c>commit</c>'s layer (with them, spelled as the OCI image spec's layer
/// changesets: <c>.wh.NAME</c> and <c>DIR/.wh..wh..opq</c>).
/// </summary>
public static class TarEntryWriter
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <param name="whiteouts">Write whiteouts and opaque markers (a layer), rather than skip them (a tree).</param>
    /// <returns>The warnings of the source (entries it had to skip).</returns>
    public static IReadOnlyList<string> Write(ILayerEntrySource source, Stream output, bool whiteouts = false)
    {
        var warnings = new List<string>();
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (LayerEntry entry in source.Entries(warnings))
        {
            if (whiteouts && entry.Kind is LayerEntryKind.Whiteout or LayerEntryKind.Opaque)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, Marker(entry)) { Mode = 0, ModificationTime = DateTimeOffset.UnixEpoch });
                continue;
            }

            TarEntryType type = entry.Kind switch
            {
                LayerEntryKind.Directory => TarEntryType.Directory,
                LayerEntryKind.File => TarEntryType.RegularFile,
                LayerEntryKind.Symlink => TarEntryType.SymbolicLink,
                LayerEntryKind.HardLink => TarEntryType.HardLink,
                LayerEntryKind.CharDevice => TarEntryType.CharacterDevice,
                LayerEntryKind.BlockDevice => TarEntryType.BlockDevice,
                LayerEntryKind.Fifo => TarEntryType.Fifo,
                _ => TarEntryType.V7RegularFile,
            };
            if (type == TarEntryType.V7RegularFile)
            {
                continue;
            }

            string name = entry.Path.Length == 0 ? "./" : entry.Kind == LayerEntryKind.Directory ? entry.Path + "/" : entry.Path;
            var tarEntry = new PaxTarEntry(type, name)
            {
                Mode = (UnixFileMode)(entry.Mode & 0xFFF),
                Uid = (int)entry.Uid,
                Gid = (int)entry.Gid,
                ModificationTime = DateTimeOffset.FromUnixTimeSeconds(entry.MtimeSeconds),
            };
            if (entry.LinkTarget is not null)
            {
                tarEntry.LinkName = entry.LinkTarget;
            }

            if (type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
            {
                tarEntry.DeviceMajor = (int)entry.DeviceMajor;
                tarEntry.DeviceMinor = (int)entry.DeviceMinor;
            }

            if (entry.Data is not null)
            {
                tarEntry.DataStream = entry.Data;
            }

            tar.WriteEntry(tarEntry);
        }

        return warnings;
    }

    private static string Marker(LayerEntry entry)
    {
        if (entry.Kind == LayerEntryKind.Opaque)
        {
            return entry.Path.Length == 0 ? OpaqueMarker : entry.Path + "/" + OpaqueMarker;
        }

        int slash = entry.Path.LastIndexOf('/');
        return slash < 0 ? WhiteoutPrefix + entry.Path : entry.Path[..(slash + 1)] + WhiteoutPrefix + entry.Path[(slash + 1)..];
    }
}
