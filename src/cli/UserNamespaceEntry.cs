using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Core.Processes;
using Skiff.Core.Users;
using Skiff.Rootless.IdMaps;
using Skiff.Rootless.Storage;
using Skiff.Runtime.Namespaces;

namespace Skiff.Cli;

/// <summary>Re-runs skiff with the same arguments inside skiff's user namespace (a new one, or a running container's).</summary>
public static class UserNamespaceEntry
{
    /// <param name="joinPid">A container process whose user namespace to join, or null for a new user + mount namespace.</param>
    public static async Task<int> RunAsync(CurrentUser user, IReadOnlyList<string> args, int? joinPid = null)
    {
        IdMap map = RootlessIdMapBuilder.Build(
            user.Uid,
            user.Gid,
            SubordinateIdFile.Read("/etc/subuid", user.Name, user.Uid),
            SubordinateIdFile.Read("/etc/subgid", user.Name, user.Uid),
            user.Name);
        var launcher = new NamespaceLauncher(new NewIdMapWriter(new ProcessRunner()));
        var reexec = new UserNamespaceReexec(launcher, map, user);
        string self = Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
        return await reexec.RunAsync(self, args, joinPid: joinPid);
    }

    /// <summary>This process's arguments as given (for commands that decide to re-run themselves).</summary>
    public static string[] CurrentArguments() => Environment.GetCommandLineArgs()[1..];
}
