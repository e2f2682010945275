using System.Globalization;
using System.Text;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's keep-id accounts: the container gets copies of the image's /etc/passwd and /etc/group
/// (bind-mounted over them) with an entry for the user added when no entry has its id, so that
/// <c>id</c>, <c>whoami</c> and programs that look up $HOME work. The image's files stay untouched.
/// </summary>
public static class AccountFiles
{
    public const string PasswdFile = "passwd";
    public const string GroupFile = "group";

    /// <summary>The files' new contents, from the image's (null when it has none).</summary>
    public static (string Passwd, string Group) Add(string? passwd, string? group, ContainerAccount account)
    {
        string uid = account.Uid.ToString(CultureInfo.InvariantCulture);
        string gid = account.Gid.ToString(CultureInfo.InvariantCulture);
        string newPasswd = HasId(passwd, uid) ? passwd! : Append(passwd, $"{account.Name}:*:{uid}:{gid}:{account.Name}:{account.Home}:/bin/sh");
        string newGroup = HasId(group, gid) ? group! : Append(group, $"{account.Name}:x:{gid}:{account.Name}");
        return (newPasswd, newGroup);
    }

    /// <summary>Writes the copies into the container's directory (<paramref name="directory"/>) and returns their contents.</summary>
    public static (string Passwd, string Group) Write(string directory, string rootfs, ContainerAccount account)
    {
        (string passwd, string group) = Add(Read(rootfs, "/etc/passwd"), Read(rootfs, "/etc/group"), account);
        Core.Files.AtomicFile.WriteAllBytes(Path.Combine(directory, PasswdFile), Encoding.UTF8.GetBytes(passwd));
        Core.Files.AtomicFile.WriteAllBytes(Path.Combine(directory, GroupFile), Encoding.UTF8.GetBytes(group));
        return (passwd, group);
    }

    private static string? Read(string rootfs, string path) =>
        UserResolver.Decode(Fds.RootedFile.TryReadAll(rootfs, path, UserResolver.MaxFileSize));

    private static bool HasId(string? text, string id) =>
        text is not null && text.Split('\n').Select(l => l.Split(':')).Any(f => f.Length > 2 && f[2] == id);

    private static string Append(string? text, string line) =>
        (text ?? string.Empty) + (text is { Length: > 0 } && !text.EndsWith('\n') ? "\n" : string.Empty) + line + "\n";
}
