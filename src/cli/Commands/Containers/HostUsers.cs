using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's --hostuser NAME|UID: the host account, looked up in the host's /etc/passwd at create (podman looks at
/// start; an unknown one is its error then), kept as <c>NAME:UID:GID:GECOS:HOME</c> for the container's passwd.
/// </summary>
public static class HostUsers
{
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> requested, string passwdPath = "/etc/passwd")
    {
        if (requested.Count == 0)
        {
            return [];
        }

        string[][] entries = [.. File.ReadAllLines(passwdPath).Select(l => l.Split(':')).Where(f => f.Length >= 7 && !f[0].StartsWith('#'))];
        var result = new List<string>();
        foreach (string user in requested)
        {
            string[] entry = entries.FirstOrDefault(f => f[0] == user) ?? entries.FirstOrDefault(f => f[2] == user)
                ?? throw SkiffException.NotFound($"--hostuser {user}: user: unknown user {user}", "name an account of this host (getent passwd NAME)");
            result.Add(string.Join(':', entry[0], entry[2], entry[3], entry[4], entry[5]));
        }

        return result;
    }
}
