using System.Globalization;
using System.Text;
using Skiff.Core.IdMaps;

namespace Skiff.Rootless.Storage;

/// <summary>
/// What <c>pause.pid</c> says about the rootless user namespace's holder: its pid and start time (a reused
/// pid has another start time), the namespace it holds (<c>user:[inode]</c>, as /proc/PID/ns/user reads), and
/// the id maps it was given, so a changed /etc/subuid or /etc/subgid is noticed and the holder replaced.
/// <see cref="SubordinateFiles"/> (size and modification time of both files) lets the native entry stage, which cannot
/// compute maps, notice the same change. One <c>key value</c> pair a line; the first word of the file is the
/// pid, as podman's pause.pid. nsenter.c reads this format too.
/// </summary>
public sealed record UserNamespaceHolderRecord(int Pid, long StartTime, string UserNamespace, string SubordinateFiles, string Maps)
{
    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Pid}\nstart {StartTime}\nuserns {UserNamespace}\nsubids {SubordinateFiles}\n{Maps}");

    /// <summary>
    /// <c>SIZE:MTIME SIZE:MTIME</c> of the two files ("-1:-1" for a missing file). The mtime is in 100 ns units
    /// since the epoch, .NET's resolution (nsenter.c computes the same from st_mtim): whole seconds missed an
    /// edit that kept the size within the second the holder started.
    /// </summary>
    public static string DescribeSubordinateFiles(string subuid, string subgid) => $"{Stamp(subuid)} {Stamp(subgid)}";

    private static string Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists
            ? string.Create(CultureInfo.InvariantCulture, $"{file.Length}:{(file.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks}")
            : "-1:-1";
    }

    /// <summary>The maps as recorded: one <c>uid|gid inside outside count</c> line per range.</summary>
    public static string DescribeMaps(IdMap map)
    {
        var text = new StringBuilder();
        foreach ((string kind, IReadOnlyList<IdMapping> ranges) in new[] { ("uid", map.Uids), ("gid", map.Gids) })
        {
            foreach (IdMapping m in ranges)
            {
                text.Append(CultureInfo.InvariantCulture, $"{kind} {m.ContainerId} {m.HostId} {m.Size}\n");
            }
        }

        return text.ToString();
    }

    public static UserNamespaceHolderRecord? TryParse(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 4
            || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0
            || !lines[1].StartsWith("start ", StringComparison.Ordinal)
            || !long.TryParse(lines[1]["start ".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            || !lines[2].StartsWith("userns ", StringComparison.Ordinal)
            || !lines[3].StartsWith("subids ", StringComparison.Ordinal))
        {
            return null;
        }

        string maps = string.Concat(lines.Skip(4).Select(l => l + "\n"));
        return new UserNamespaceHolderRecord(pid, start, lines[2]["userns ".Length..], lines[3]["subids ".Length..], maps);
    }
}
