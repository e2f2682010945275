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

    /// <summary>
    /// The process whose user namespace reaches a running container's root and the user's own files alike: its
    /// monitor, in skiff's namespace. The container's process may be in a namespace of its own (--userns=auto, nomap,
    /// --uidmap) where the user's id is not mapped, so host paths the user owns would not be writable from there.
    /// </summary>
    public static int HolderOf(Runtime.Lifecycle.ContainerState state) => state.MonitorPid > 0 ? state.MonitorPid : state.Pid;

    /// <summary>This process's arguments as given (for commands that decide to re-run themselves).</summary>
    public static string[] CurrentArguments() => Environment.GetCommandLineArgs()[1..];
}
