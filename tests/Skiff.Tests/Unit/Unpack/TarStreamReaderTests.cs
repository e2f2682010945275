using System.Text;
using Skiff.Core.Errors;
using Skiff.Images.Unpack;
using Skiff.Images.Unpack.Tar;
using Skiff.Tests.Support;

namespace Skiff.Tests.Unit.Unpack;

public sealed class TarStreamReaderTests
{
    [Fact]
    public void A_binary_xattr_value_that_is_not_utf8_is_kept_byte_for_byte()
    {
        byte[] capability = RawTar.Capability();
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(capability));
        byte[] tar = [
            .. RawTar.Pax(("SCHILY.xattr.security.capability", capability), ("SCHILY.xattr.user.note", "héllo"u8.ToArray())),
            .. RawTar.File("usr/bin/ping", "ELF"u8.ToArray(), mode: 0x1ED),
            .. RawTar.End()];

        TarHeader header = Assert.Single(ReadAll(tar)).Header;
        Assert.Equal("usr/bin/ping", header.Name);
        Assert.Equal(2, header.Xattrs.Count);
        Assert.Equal("security.capability", header.Xattrs[0].Key);
        Assert.Equal(capability, header.Xattrs[0].Value);
        Assert.Equal("user.note", header.Xattrs[1].Key);
        Assert.Equal("héllo"u8.ToArray(), header.Xattrs[1].Value);
    }

    [Fact]
    public void The_layer_source_passes_binary_xattrs_on_without_a_warning()
    {
        byte[] tar = [.. RawTar.Pax(("SCHILY.xattr.security.capability", RawTar.Capability())), .. RawTar.File("ping", "x"u8.ToArray()), .. RawTar.End()];
        var warnings = new List<string>();
        LayerEntry entry = Assert.Single(new TarEntrySource(new MemoryStream(tar), 100).Entries(warnings).ToList());
        Assert.Empty(warnings);
        Assert.Equal(RawTar.Capability(), Assert.Single(entry.Xattrs).Value);
    }

    [Fact]
    public void Reads_what_System_Formats_Tar_writes_as_PAX()
    {
        byte[] tar = new LayerTar()
            .Dir("etc", mode: 0x1C0, uid: 1000, gid: 1001)
            .File("etc/passwd", "root:x:0:0", mode: 0x1A4, xattrs: new() { ["user.a"] = "b" })
            .Symlink("etc/link", "/etc/passwd")
            .HardLink("etc/hard", "etc/passwd")
            .Device("dev/null", System.Formats.Tar.TarEntryType.CharacterDevice, 1, 3)
            .Fifo("run/fifo")
            .File("d/" + new string('n', 150), "long")
            .ToBytes();

        List<(TarHeader Header, byte[] Data)> entries = ReadAll(tar);
        Assert.Equal(["etc", "etc/passwd", "etc/link", "etc/hard", "dev/null", "run/fifo", "d/" + new string('n', 150)], entries.Select(e => e.Header.Name.TrimEnd('/')));
        Assert.Equal([(byte)'5', (byte)'0', (byte)'2', (byte)'1', (byte)'3', (byte)'6', (byte)'0'], entries.Select(e => e.Header.TypeFlag));
        Assert.Equal((1000L, 1001L, 0x1C0L), (entries[0].Header.Uid, entries[0].Header.Gid, entries[0].Header.Mode & 0xFFF));
        Assert.Equal("root:x:0:0", Encoding.UTF8.GetString(entries[1].Data));
        Assert.Equal("b"u8.ToArray(), Assert.Single(entries[1].Header.Xattrs).Value);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).ToUnixTimeSeconds(), entries[1].Header.MtimeSeconds);
        Assert.Equal("/etc/passwd", entries[2].Header.LinkName);
        Assert.Equal("etc/passwd", entries[3].Header.LinkName);
        Assert.Equal((1L, 3L), (entries[4].Header.DeviceMajor, entries[4].Header.DeviceMinor));
        Assert.Equal("long", Encoding.UTF8.GetString(entries[6].Data));
    }

    [Fact]
    public void Merges_gnu_long_names_ustar_prefixes_base256_ids_and_pax_times()
    {
        string longName = "a/" + new string('x', 200);
        string longLink = "/" + new string('y', 180);
        byte[] tar = [
            .. RawTar.Special('L', Encoding.UTF8.GetBytes(longName + "\0")),
            .. RawTar.Special('K', Encoding.UTF8.GetBytes(longLink + "\0")),
            .. RawTar.Header("short", '2', gnu: true),
            .. RawTar.Header("name", '5', prefix: "some/prefix"),
            .. RawTar.Header("big", '5', uid: 5_000_000_000, base256Uid: true),
            .. RawTar.Pax(("mtime", "1700000000.123456789"u8.ToArray()), ("uid", "4294967295"u8.ToArray())),
            .. RawTar.Header("timed", '5'),
            .. RawTar.Pax(("mtime", "-1.25"u8.ToArray())),
            .. RawTar.Header("old", '5'),
            .. RawTar.End()];

        var headers = ReadAll(tar).Select(e => e.Header).ToList();
        Assert.Equal((longName, longLink), (headers[0].Name, headers[0].LinkName));
        Assert.Equal("some/prefix/name", headers[1].Name);
        Assert.Equal(5_000_000_000, headers[2].Uid);
        Assert.Equal((1_700_000_000L, 123_456_789u, 4294967295L), (headers[3].MtimeSeconds, headers[3].MtimeNanoseconds, headers[3].Uid));
        Assert.Equal((-2L, 750_000_000u), (headers[4].MtimeSeconds, headers[4].MtimeNanoseconds));
    }

    [Fact]
    public void Header_only_types_have_no_content_whatever_their_size_says()
    {
        // As in Go's archive/tar: the next header follows a directory header directly.
        byte[] tar = [.. RawTar.Header("dir", '5', size: 1024), .. RawTar.File("file", "data"u8.ToArray()), .. RawTar.End()];
        var entries = ReadAll(tar);
        Assert.Equal(["dir", "file"], entries.Select(e => e.Header.Name));
        Assert.Equal("data", Encoding.UTF8.GetString(entries[1].Data));
    }

    [Fact]
    public void An_old_regular_file_named_with_a_slash_is_a_directory()
    {
        byte[] tar = [.. RawTar.Header("olddir/", '\0'), .. RawTar.End()];
        Assert.Equal((byte)'5', Assert.Single(ReadAll(tar)).Header.TypeFlag);
    }

    [Fact]
    public void Unread_content_is_skipped()
    {
        byte[] tar = [.. RawTar.File("a", new byte[1500]), .. RawTar.File("b", "bee"u8.ToArray()), .. RawTar.End()];
        var reader = new TarStreamReader(new MemoryStream(tar));
        Assert.Equal("a", reader.Next()!.Name);
        Assert.Equal("b", reader.Next()!.Name);
        Assert.Equal("bee", new StreamReader(reader.Data).ReadToEnd());
        Assert.Null(reader.Next());
    }

    [Fact]
    public void An_archive_without_end_blocks_ends_cleanly()
    {
        byte[] tar = RawTar.File("a", "x"u8.ToArray());
        Assert.Single(ReadAll(tar));
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "checksum", [.. RawTar.Header("a", '0', checksumDelta: 1), .. RawTar.End()] },
        { "truncated header", RawTar.Header("a", '0')[..300] },
        { "truncated content", RawTar.Header("a", '0', size: 100) },
        { "non-octal size", Corrupt(RawTar.Header("a", '0'), 124, (byte)'9') },
        { "pax length past the end", [.. RawTar.Special('x', "99 path=a\n"u8.ToArray()), .. RawTar.Header("a", '0'), .. RawTar.End()] },
        { "pax record without newline", [.. RawTar.Special('x', "9 path=ab"u8.ToArray()), .. RawTar.Header("a", '0'), .. RawTar.End()] },
        { "pax length not a number", [.. RawTar.Special('x', "x9 path=a\n"u8.ToArray()), .. RawTar.Header("a", '0'), .. RawTar.End()] },
        { "pax uid not a number", [.. RawTar.Pax(("uid", "-1"u8.ToArray())), .. RawTar.Header("a", '0'), .. RawTar.End()] },
        { "pax header too large", [.. RawTar.Header("x", 'x', size: TarStreamReader.MaxSpecialSize + 1), .. RawTar.End()] },
        { "extended header at the end", [.. RawTar.Pax(("path", "a"u8.ToArray())), .. RawTar.End()] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_archives_are_rejected_with_our_error(string name, byte[] tar)
    {
        var e = Assert.Throws<SkiffException>(() => ReadAll(tar));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("not a valid tar archive", e.Message);
        Assert.NotEmpty(name);
    }

    private static byte[] Corrupt(byte[] header, int offset, byte value)
    {
        header[offset + 5] = value;
        return [.. header, .. RawTar.End()];
    }

    private static List<(TarHeader Header, byte[] Data)> ReadAll(byte[] tar)
    {
        var reader = new TarStreamReader(new MemoryStream(tar));
        var entries = new List<(TarHeader, byte[])>();
        while (reader.Next() is { } header)
        {
            var data = new MemoryStream();
            reader.Data.CopyTo(data);
            entries.Add((header, data.ToArray()));
        }

        return entries;
    }
}
