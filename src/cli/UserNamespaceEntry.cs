using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Core.Users;
using Skiff.Rootless.Storage;

namespace Skiff.Cli;

/// <summary>Re-runs skiff with the same arguments inside skiff's user namespace (a new one, or a running container's).</summary>
public static class UserNamespaceEntry
{
    /// <param name="joinPid">A container process whose user namespace to join, or null for a new user + mount namespace.</param>
    public static async Task<int> RunAsync(CurrentUser user, IReadOnlyList<string> args, int? joinPid = null)
    {
        string self = Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
        UserNamespaceReexec reexec = UserNamespaceReexec.ForUser(user, new ProcessRunner());
        return joinPid is int pid
            ? await reexec.RunInUserNamespaceOfAsync(self, args, pid)
            : await reexec.RunAsync(self, args);
    }

    /// <summary>This process's arguments as given (for commands that decide to re-run themselves).</summary>
    public static string[] CurrentArguments() => Environment.GetCommandLineArgs()[1..];
}
