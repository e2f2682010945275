using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Core.Processes;
using Skiff.Core.Users;
using Skiff.Rootless.IdMaps;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Storage;

/// <summary>
/// Starts one detached skiff process (a container's monitor) inside skiff's rootless user namespace (the holder's,
/// started when missing) and a new mount namespace of its own, for a rootless command that itself stays in the
/// host's namespaces: the process is what a command re-executed by <see cref="UserNamespaceReexec"/> would have
/// spawned, without that second start of the whole command. Its files in the store are owned by the user either
/// way (uid 0 in the namespace).
/// </summary>
public sealed class UserNamespaceSpawner(NamespaceLauncher launcher, IdMap map, UserNamespaceHolder holder, CurrentUser user)
{
    /// <summary>
    /// The entry stage's sync socket in the child: above the descriptors a monitor is given (stdio, its sync
    /// socket 3, an attach client 4, a passthrough caller's stdio 5-7). The child closes it (<see cref="EntryVariables"/>).
    /// </summary>
    public const int SyncFd = 8;

    public static UserNamespaceSpawner ForUser(CurrentUser user)
    {
        IdMap map = RootlessIdMapBuilder.Build(
            user.Uid,
            user.Gid,
            SubordinateIdFile.Read(UserNamespaceHolder.SubordinateUids, user.Name, user.Uid),
            SubordinateIdFile.Read(UserNamespaceHolder.SubordinateGids, user.Name, user.Uid),
            user.Name);
        return new UserNamespaceSpawner(new NamespaceLauncher(new NewIdMapWriter()), map, UserNamespaceHolder.ForUser(user.Uid), user);
    }

    /// <summary>Starts <paramref name="spawn"/> in the namespaces and returns its pid once it runs there (the caller's child).</summary>
    public int Spawn(SpawnRequest spawn) => SpawnAsync(spawn, retry: true).GetAwaiter().GetResult();

    private async Task<int> SpawnAsync(SpawnRequest spawn, bool retry)
    {
        var environment = new Dictionary<string, string>(spawn.Environment)
        {
            [CurrentUser.RootlessVariable] = user.ToVariable(),
        };
        SpawnRequest inside = spawn with { Environment = environment };

        int? pid = await holder.EnsureAsync(map, launcher, Environment.ProcessPath ?? spawn.Executable).ConfigureAwait(false);
        NamespaceRequest request = pid is null
            ? new NamespaceRequest(NamespaceKinds.User | NamespaceKinds.Mount, Maps: map) { SyncFd = SyncFd }
            : new NamespaceRequest(NamespaceKinds.Mount, JoinPid: pid, Join: NamespaceKinds.User) { SyncFd = SyncFd };
        try
        {
            // Joining a user namespace and unsharing a mount namespace needs no fork: the process spawned is the one that runs.
            using NamespacedProcess started = await launcher.StartAsync(inside, request).ConfigureAwait(false);
            return started.Pid;
        }
        catch (SkiffException) when (retry && pid is not null && holder.Running()?.Pid != pid)
        {
            // The holder ended between the check and the join: nothing ran yet, so join the next one.
            return await SpawnAsync(spawn, retry: false).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Called first thing by a process this class started: closes the entry stage's sync socket and forgets the
    /// stage's variables, so neither reaches what it runs later (a process image it replaces itself with keeps
    /// its environment, and skiff's entry stage would take the variables as a request).
    /// </summary>
    public static void ForgetEntry()
    {
        if (Environment.GetEnvironmentVariable(NamespaceLauncher.SyncVariable) != SyncFd.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return;
        }

        new Microsoft.Win32.SafeHandles.SafeFileHandle(SyncFd, ownsHandle: true).Dispose();
        foreach (string name in EntryVariables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private static readonly string[] EntryVariables = [NamespaceLauncher.SyncVariable, NamespaceLauncher.EnteredVariable];
}
