using System.Globalization;
using System.Text;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's generated accounts: a container whose user the image's /etc/passwd or /etc/group lacks gets
/// copies of them with an entry added, bind-mounted over them from the container's directory, so that
/// <c>id</c>, <c>whoami</c> and programs that look up $HOME work. Entries come from keep-id's account and,
/// with --passwd (the default), from a numeric --user and group (podman's generateUserPasswdEntry and
/// generateUserGroupEntry). The image's files are read confined to the root and never written.
/// </summary>
public static class AccountFiles
{
    public const string PasswdFile = "passwd";
    public const string GroupFile = "group";

    /// <summary>The files' new contents with keep-id's account, from the image's (null when it has none).</summary>
    public static (string Passwd, string Group) Add(string? passwd, string? group, ContainerAccount account, string? entryTemplate = null)
    {
        string uid = Id(account.Uid);
        string gid = Id(account.Gid);
        string line = entryTemplate is null
            ? $"{account.Name}:*:{uid}:{gid}:{account.Name}:{account.Home}:/bin/sh"
            : Expand(entryTemplate, account.Name, uid, gid, account.Name, account.Home);
        string newPasswd = HasId(passwd, uid) ? passwd! : Append(passwd, line);
        string newGroup = HasId(group, gid) ? group! : Append(group, $"{account.Name}:x:{gid}:{account.Name}");
        return (newPasswd, newGroup);
    }

    /// <summary>
    /// podman's entries for <c>--user UID[:GID]</c>: a numeric uid no passwd entry names (by name or id) gets
    /// <c>UID:*:UID:GID:container user:HOME:/bin/sh</c> (HOME the working directory); a numeric group (the
    /// uid's own number when no group is given, as podman) no group entry names gets <c>GID:x:GID:USER</c>.
    /// Null where a file stays as it is; ids keep-id added already are skipped.
    /// </summary>
    public static (string? Passwd, string? Group) AddNumericUser(
        string? passwd, string? group, string user, string home, string? entryTemplate, uint? addedUid = null, uint? addedGid = null)
    {
        string[] parts = user.Split(':', 2);
        string userPart = parts[0];
        string groupPart = parts.Length == 2 ? parts[1] : string.Empty;
        string? newPasswd = null;
        if (TryId(userPart, out uint uid) && uid != addedUid && !Names(passwd, userPart))
        {
            // An unknown group name is left to the user resolver, which reports it.
            uint? gid = groupPart.Length == 0 ? 0
                : TryId(groupPart, out uint numeric) ? numeric
                : Find(group, groupPart) is { } entry && TryId(entry[2], out uint named) ? named
                : null;
            if (gid is uint primary)
            {
                newPasswd = Append(passwd, entryTemplate is null
                    ? $"{Id(uid)}:*:{Id(uid)}:{Id(primary)}:container user:{home}:/bin/sh"
                    : Expand(entryTemplate, Id(uid), Id(uid), Id(primary), "container user", home));
            }
        }

        string groupName = groupPart.Length > 0 ? groupPart : userPart;
        string? newGroup = TryId(groupName, out uint groupId) && groupId != addedGid && !Names(group, groupName)
            ? Append(group, $"{Id(groupId)}:x:{Id(groupId)}:{userPart}")
            : null;
        return (newPasswd, newGroup);
    }

    /// <summary>
    /// Reads the image's account files (confined to <paramref name="rootfs"/>, size-bounded), adds what the
    /// container's user needs, writes the changed copies into <paramref name="directory"/> and returns the
    /// contents to resolve the user with and the copies to bind-mount (<see cref="PasswdFile"/>, <see cref="GroupFile"/>).
    /// The group contents returned lack the numeric user's group line: podman looks the user's supplementary
    /// groups up before it adds that line, so <c>-u 2000</c> is not made a member of the group 2000 it lists.
    /// </summary>
    public static (string? Passwd, string? Group, IReadOnlyList<string> Copies) Prepare(string directory, string rootfs, ContainerConfig config)
    {
        string? passwd = Read(rootfs, "/etc/passwd");
        string? group = Read(rootfs, "/etc/group");
        if (config.Passwd == false)
        {
            return (passwd, group, []);
        }

        var copies = new List<string>();
        if (config.AddAccount is { } account)
        {
            (passwd, group) = Add(passwd, group, account, config.PasswdEntry);
            copies.Add(PasswdFile);
            copies.Add(GroupFile);
        }

        string home = config.WorkingDir.Length > 0 ? config.WorkingDir : "/";
        (string? userPasswd, string? userGroup) = AddNumericUser(passwd, group, config.User, home, config.PasswdEntry, config.AddAccount?.Uid, config.AddAccount?.Gid);
        if (userPasswd is not null)
        {
            passwd = userPasswd;
            copies.Add(PasswdFile);
        }

        if (userGroup is not null)
        {
            copies.Add(GroupFile);
        }

        // Null in a config written before --hostuser existed.
        foreach (string hostUser in config.HostUsers ?? [])
        {
            if (HostUserEntry(passwd, hostUser, home, path => Fds.RootedFile.Exists(rootfs, path)) is { } line)
            {
                passwd = Append(passwd, line);
                copies.Add(PasswdFile);
            }
        }

        // A file the user bind-mounts there stays theirs (podman).
        copies.RemoveAll(file => config.Mounts.Any(m => m.Destination.TrimEnd('/') == "/etc/" + file));
        foreach (string file in copies.Distinct())
        {
            Core.Files.AtomicFile.WriteAllBytes(Path.Combine(directory, file), Encoding.UTF8.GetBytes(file == PasswdFile ? passwd! : userGroup ?? group!));
        }

        return (passwd, group, copies.Distinct().ToList());
    }

    /// <summary>
    /// podman's --hostuser line for the host account <paramref name="hostUser"/> (<c>NAME:UID:GID:GECOS:HOME</c>), or null
    /// when the container's passwd names it or its uid already: <c>NAME:*:UID:GID:GECOS:HOME:/bin/sh</c>, HOME the
    /// host's home when the container has it or a directory above it (not /), else the working directory.
    /// </summary>
    public static string? HostUserEntry(string? passwd, string hostUser, string workingDir, Func<string, bool> existsInContainer)
    {
        string[] fields = hostUser.Split(':');
        if (fields.Length < 5 || Names(passwd, fields[0]) || Names(passwd, fields[1]))
        {
            return null;
        }

        string home = workingDir;
        for (string? directory = fields[4]; directory is { Length: > 1 } && directory.StartsWith('/'); directory = Path.GetDirectoryName(directory))
        {
            if (existsInContainer(directory))
            {
                home = fields[4];
                break;
            }
        }

        return $"{fields[0]}:*:{fields[1]}:{fields[2]}:{fields[3]}:{home}:/bin/sh";
    }

    private static string? Read(string rootfs, string path) =>
        UserResolver.Decode(Fds.RootedFile.TryReadAll(rootfs, path, UserResolver.MaxFileSize));

    private static IEnumerable<string[]> Lines(string? text) =>
        text is null ? [] : text.Split('\n').Select(l => l.TrimEnd('\r').Split(':')).Where(f => f.Length > 2);

    private static bool HasId(string? text, string id) => Lines(text).Any(f => f[2] == id);

    /// <summary>runc's lookup, which podman uses: an entry matches by name or by id.</summary>
    private static bool Names(string? text, string nameOrId) => Lines(text).Any(f => f[0] == nameOrId || f[2] == nameOrId);

    private static string[]? Find(string? text, string name) => Lines(text).FirstOrDefault(f => f[0] == name);

    /// <summary>podman's --passwd-entry variables, replaced in its order.</summary>
    private static string Expand(string template, string userName, string uid, string gid, string name, string home) => template
        .Replace("$USERNAME", userName, StringComparison.Ordinal)
        .Replace("$UID", uid, StringComparison.Ordinal)
        .Replace("$GID", gid, StringComparison.Ordinal)
        .Replace("$NAME", name, StringComparison.Ordinal)
        .Replace("$HOME", home, StringComparison.Ordinal);

    private static bool TryId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static string Id(uint id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Append(string? text, string line) =>
        (text ?? string.Empty) + (text is { Length: > 0 } && !text.EndsWith('\n') ? "\n" : string.Empty) + line + "\n";
}
