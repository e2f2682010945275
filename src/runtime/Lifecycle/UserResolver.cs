using System.Globalization;
using System.Text;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Turns docker's <c>--user name|uid[:group|gid]</c> and <c>--group-add</c> into ids using the image's
/// /etc/passwd and /etc/group contents (read by the caller, confined to the container's root), the way
/// runc's user lookup does: a numeric uid without a passwd entry gets gid 0 and HOME /; without an
/// explicit group, the user's supplementary groups are the /etc/group entries that list its name, plus the
/// primary group when a user was given (as podman). A user or group the image lacks is found only when the
/// container starts, so, as podman, it fails the start like a command that cannot be run (run exits 126).
/// </summary>
public static class UserResolver
{
    /// <summary>Larger account files than this are refused rather than read into memory.</summary>
    public const int MaxFileSize = 4 * 1024 * 1024;

    public static ContainerUser Resolve(string user, IReadOnlyList<string> groupAdd, string? passwd, string? group)
    {
        string[] parts = user.Split(':', 2);
        string userPart = parts[0];
        string? groupPart = parts.Length == 2 ? parts[1] : null;
        IReadOnlyList<string[]> users = Entries(passwd, 7);
        IReadOnlyList<string[]> groups = Entries(group, 4);

        string[]? entry;
        uint uid;
        if (userPart.Length == 0)
        {
            uid = 0;
            entry = users.FirstOrDefault(u => u[2] == "0");
        }
        else if (TryId(userPart, out uid))
        {
            entry = users.FirstOrDefault(u => TryId(u[2], out uint id) && id == uid);
        }
        else
        {
            entry = users.FirstOrDefault(u => u[0] == userPart)
                ?? throw new SkiffException(
                    ErrorKind.CannotExecute,
                    $"unable to find user {userPart}: no matching entries in passwd file",
                    "use a user the image's /etc/passwd has, or a numeric uid");
            uid = ParseId(entry[2], "uid", userPart);
        }

        uint gid = entry is not null ? ParseId(entry[3], "gid", userPart) : 0;
        var additional = new List<uint>();
        if (groupPart is not null && groupPart.Length > 0)
        {
            gid = GroupId(groupPart, groups);
        }
        else if (entry is not null)
        {
            string name = entry[0];
            foreach (string[] g in groups)
            {
                if (g[3].Split(',').Contains(name) && TryId(g[2], out uint member) && member != gid && !additional.Contains(member))
                {
                    additional.Add(member);
                }
            }
        }

        // podman (libpod's generateSpec) lists the primary group among the supplementary ones whenever a user
        // is given (--user or the image's USER), so `id` shows it in groups= as with podman.
        if (userPart.Length > 0 && !additional.Contains(gid))
        {
            additional.Insert(0, gid);
        }

        foreach (string extra in groupAdd)
        {
            if (extra == KeepGroups.Flag)
            {
                // Not a group: the runtime keeps the caller's groups instead of setting any (see KeepGroups).
                continue;
            }

            uint id = GroupId(extra, groups);
            if (!additional.Contains(id))
            {
                additional.Add(id);
            }
        }

        string home = entry is not null && entry[5].Length > 0 ? entry[5] : "/";
        return new ContainerUser(uid, gid, additional, home);
    }

    /// <summary>Whether resolving <paramref name="user"/> and <paramref name="groupAdd"/> needs the image's account files.</summary>
    public static bool NeedsLookup(string user, IReadOnlyList<string> groupAdd)
    {
        string[] parts = user.Split(':', 2);
        return parts[0].Length > 0 && !TryId(parts[0], out _)
            || parts.Length == 2 && parts[1].Length > 0 && !TryId(parts[1], out _)
            || groupAdd.Any(g => g != KeepGroups.Flag && !TryId(g, out _));
    }

    private static uint GroupId(string group, IReadOnlyList<string[]> groups)
    {
        if (TryId(group, out uint id))
        {
            return id;
        }

        string[] entry = groups.FirstOrDefault(g => g[0] == group)
            ?? throw new SkiffException(
                ErrorKind.CannotExecute,
                $"unable to find group {group}: no matching entries in group file",
                "use a group the image's /etc/group has, or a numeric gid");
        return ParseId(entry[2], "gid", group);
    }

    private static IReadOnlyList<string[]> Entries(string? text, int fields)
    {
        if (text is null)
        {
            return [];
        }

        var entries = new List<string[]>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('+') || line.StartsWith('-'))
            {
                continue;
            }

            string[] parts = line.Split(':');
            if (parts.Length < fields - 1)
            {
                continue;
            }

            if (parts.Length < fields)
            {
                parts = [.. parts, .. Enumerable.Repeat(string.Empty, fields - parts.Length)];
            }

            entries.Add(parts);
        }

        return entries;
    }

    private static uint ParseId(string text, string what, string name) =>
        TryId(text, out uint id) ? id : throw SkiffException.InvalidArgument($"invalid {what} \"{text}\" for {name} in the image's account files");

    private static bool TryId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    /// <summary>Decodes an account file read from the image; invalid UTF-8 becomes replacement characters, never an exception.</summary>
    public static string? Decode(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
