using System.Globalization;

namespace Skiff.Runtime.Memory;

/// <summary>
/// Reads /proc/PID/maps (proc(5): "start-end perms offset dev inode path" per mapping, in address order) to tell
/// whether a range is nothing but private anonymous memory: no file, no shared mapping, no named region such as
/// [stack] or [heap], no hole.
/// </summary>
public static class AnonymousRange
{
    public static bool IsPrivateAnonymous(ReadOnlySpan<byte> maps, ulong start, ulong end)
    {
        ulong covered = start;
        while (maps.Length > 0 && covered < end)
        {
            int newline = maps.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? maps : maps[..newline];
            maps = newline < 0 ? [] : maps[(newline + 1)..];
            if (!TryParse(line, out ulong first, out ulong after, out bool privateAnonymous))
            {
                return false;
            }

            if (after <= covered)
            {
                continue;
            }

            if (first > covered || !privateAnonymous)
            {
                return false;
            }

            covered = after;
        }

        return covered >= end;
    }

    private static bool TryParse(ReadOnlySpan<byte> line, out ulong start, out ulong end, out bool privateAnonymous)
    {
        start = end = 0;
        privateAnonymous = false;
        ReadOnlySpan<byte> addresses = NextField(ref line);
        ReadOnlySpan<byte> permissions = NextField(ref line);
        NextField(ref line); // offset
        NextField(ref line); // device
        ReadOnlySpan<byte> inode = NextField(ref line);
        int dash = addresses.IndexOf((byte)'-');
        if (inode.IsEmpty
            || dash < 0
            || !ulong.TryParse(addresses[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out start)
            || !ulong.TryParse(addresses[(dash + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out end))
        {
            return false;
        }

        // A sixth field is a path or a pseudo name ([stack], [heap], [anon:…]).
        privateAnonymous = permissions.Length == 4 && permissions[3] == (byte)'p' && inode.SequenceEqual("0"u8) && NextField(ref line).IsEmpty;
        return true;
    }

    private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> line)
    {
        line = line.TrimStart((byte)' ');
        int space = line.IndexOf((byte)' ');
        ReadOnlySpan<byte> field = space < 0 ? line : line[..space];
        line = space < 0 ? [] : line[space..];
        return field;
    }
}
