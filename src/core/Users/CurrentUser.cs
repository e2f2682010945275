using System.Globalization;
using Skiff.Core.Native;

namespace Skiff.Core.Users;

/// <summary>
/// Who runs skiff. Inside skiff's own rootless user namespace the process is uid 0, so the invoking
/// user's real ids travel in <see cref="RootlessVariable"/> and <see cref="Rootless"/> stays true there.
/// </summary>
public sealed record CurrentUser(uint Uid, uint Gid, bool Rootless, bool InsideUserNamespace)
{
    private string? name;

    /// <summary>
    /// The user's name, looked up on first use: the passwd lookup (nsswitch, nscd, /etc/passwd) costs
    /// about a millisecond, and most commands never need the name.
    /// </summary>
    public string Name
    {
        get => name ??= NameOf(Uid);
        init => name = value;
    }

    /// <summary>Set by skiff for its re-executed self: "uid:gid:name" of the user on the host.</summary>
    public const string RootlessVariable = "_SKIFF_ROOTLESS";

    public static CurrentUser Detect()
    {
        string? inherited = Environment.GetEnvironmentVariable(RootlessVariable);
        if (inherited is not null && Libc.geteuid() == 0)
        {
            string[] parts = inherited.Split(':', 3);
            if (parts.Length == 3
                && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
                && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint gid))
            {
                return new CurrentUser(uid, gid, Rootless: true, InsideUserNamespace: true) { Name = parts[2] };
            }
        }

        uint euid = Libc.geteuid();
        return new CurrentUser(euid, Libc.getegid(), Rootless: euid != 0, InsideUserNamespace: false);
    }

    /// <summary>
    /// The user's name, or the uid when the passwd database cannot say: skiff also starts inside
    /// containers (the runtime's exec stage), whose root may have no /etc/passwd at all.
    /// </summary>
    private static string NameOf(uint uid)
    {
        try
        {
            return Environment.UserName;
        }
        catch (IOException)
        {
            return uid.ToString(CultureInfo.InvariantCulture);
        }
    }

    public string ToVariable() => string.Create(CultureInfo.InvariantCulture, $"{Uid}:{Gid}:{Name}");
}
