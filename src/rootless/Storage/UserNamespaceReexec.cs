using System.Collections;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Core.Processes;
using Skiff.Core.Users;
using Skiff.Rootless.IdMaps;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Storage;

/// <summary>
/// Runs skiff again inside skiff's rootless user namespace, where the rootless user is uid 0 and the
/// subordinate ids are mapped (as podman does for storage work), so unpacked files get the owners the
/// image says, and in a new mount namespace of its own. stdio is shared; terminal signals reach both
/// processes, SIGTERM/SIGHUP are forwarded.
/// </summary>
public sealed class UserNamespaceReexec(NamespaceLauncher launcher, IdMap map, UserNamespaceHolder holder, CurrentUser user)
{
    /// <summary>
    /// The user's podman-style maps from /etc/subuid and /etc/subgid (written with newuidmap/newgidmap when the
    /// holder starts) and the holder recorded under the user's runtime directory.
    /// </summary>
    public static UserNamespaceReexec ForUser(CurrentUser user, IProcessRunner runner)
    {
        IdMap map = RootlessIdMapBuilder.Build(
            user.Uid,
            user.Gid,
            SubordinateIdFile.Read("/etc/subuid", user.Name, user.Uid),
            SubordinateIdFile.Read("/etc/subgid", user.Name, user.Uid),
            user.Name);
        return new UserNamespaceReexec(new NamespaceLauncher(new NewIdMapWriter()), map, UserNamespaceHolder.ForUser(user.Uid), user);
    }

    public UserNamespaceHolder Holder => holder;

    /// <summary>Runs skiff again in the user namespace of the holder (started when missing) and a new mount namespace.</summary>
    /// <param name="preserveFds">Our descriptors 3..3+N-1 passed on at the same numbers (run --preserve-fds).</param>
    public Task<int> RunAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default, int preserveFds = 0) =>
        RunInHolderAsync(executable, arguments, retry: true, cancellationToken, preserveFds);

    private async Task<int> RunInHolderAsync(string executable, IReadOnlyList<string> arguments, bool retry, CancellationToken cancellationToken, int preserveFds)
    {
        int? pid = await holder.EnsureAsync(map, launcher, executable, cancellationToken).ConfigureAwait(false);
        if (pid is null)
        {
            return await RunAsync(executable, arguments, new NamespaceRequest(NamespaceKinds.User | NamespaceKinds.Mount, Maps: map) { SyncFd = NamespaceLauncher.SyncFd + preserveFds }, cancellationToken, preserveFds).ConfigureAwait(false);
        }

        try
        {
            return await RunInSharedUserNamespaceAsync(executable, arguments, pid.Value, cancellationToken, preserveFds).ConfigureAwait(false);
        }
        catch (SkiffException) when (retry && holder.Running()?.Pid != pid)
        {
            // The holder ended between the check and the join (killed, or replaced by a command that found
            // new maps): nothing ran yet, so join the next one.
            return await RunInHolderAsync(executable, arguments, retry: false, cancellationToken, preserveFds).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs skiff again inside the user and mount namespaces of <paramref name="pid"/> (a rootless
    /// container's monitor) rather than new ones: the container's root is mounted only there, and its
    /// runtime state and namespaces belong to that user namespace (exec).
    /// </summary>
    /// <param name="preserveFds">Our descriptors 3..3+N-1 passed on at the same numbers (exec --preserve-fds).</param>
    public Task<int> RunJoinedAsync(string executable, IReadOnlyList<string> arguments, int pid, CancellationToken cancellationToken = default, int preserveFds = 0) =>
        RunAsync(executable, arguments, new NamespaceRequest(NamespaceKinds.None, JoinPid: pid, Join: NamespaceKinds.User | NamespaceKinds.Mount) { SyncFd = NamespaceLauncher.SyncFd + preserveFds }, cancellationToken, preserveFds);

    /// <summary>
    /// Runs skiff again inside the user namespace of <paramref name="pid"/> (the rootless network namespace's
    /// holder) and a new mount namespace, so the containers it starts share that user namespace with the
    /// networks' bridges.
    /// </summary>
    /// <param name="preserveFds">Our descriptors 3..3+N-1 passed on at the same numbers (run --preserve-fds).</param>
    public Task<int> RunInSharedUserNamespaceAsync(string executable, IReadOnlyList<string> arguments, int pid, CancellationToken cancellationToken = default, int preserveFds = 0) =>
        RunAsync(executable, arguments, new NamespaceRequest(NamespaceKinds.Mount, JoinPid: pid, Join: NamespaceKinds.User) { SyncFd = NamespaceLauncher.SyncFd + preserveFds }, cancellationToken, preserveFds);

    /// <summary>
    /// Runs skiff again inside only the user namespace of <paramref name="pid"/> (a running rootless
    /// container): enough for ptrace-level access to its <c>/proc/PID/root</c> and to files owned by
    /// subordinate ids, while the mount namespace stays the host's, so host paths mean what the user typed (cp, export).
    /// </summary>
    public Task<int> RunInUserNamespaceOfAsync(string executable, IReadOnlyList<string> arguments, int pid, CancellationToken cancellationToken = default) =>
        RunAsync(executable, arguments, new NamespaceRequest(NamespaceKinds.None, JoinPid: pid, Join: NamespaceKinds.User), cancellationToken);

    private async Task<int> RunAsync(string executable, IReadOnlyList<string> arguments, NamespaceRequest request, CancellationToken cancellationToken, int preserveFds = 0)
    {
        var environment = new Dictionary<string, string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        environment[CurrentUser.RootlessVariable] = user.ToVariable();

        using var stdin = new SafeFileHandle(0, ownsHandle: false);
        using var stdout = new SafeFileHandle(1, ownsHandle: false);
        using var stderr = new SafeFileHandle(2, ownsHandle: false);
        List<(SafeHandle, int)> descriptors = [(stdin, 0), (stdout, 1), (stderr, 2)];
        for (int fd = 3; fd < 3 + preserveFds; fd++)
        {
            descriptors.Add((new SafeFileHandle(fd, ownsHandle: false), fd));
        }

        var spawn = new SpawnRequest(executable, arguments, environment) { Descriptors = descriptors };

        // The handlers come first: a signal sent while the child starts is held and passed on once it exists,
        // rather than ending us alone while the child goes on (and starts a container nobody waits for).
        int childPid = 0;
        var target = new HeldSignals(signal => ChildProcesses.TrySignal(childPid, signal));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => ForwardUnlessTyped(context, target, 2));
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => ForwardUnlessTyped(context, target, 3));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            target.Send(15);
        });
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            target.Send(1);
        });

        using NamespacedProcess child = await launcher.StartAsync(spawn, request, cancellationToken).ConfigureAwait(false);
        childPid = child.Pid;
        target.Release();

        // A blocking wait: the signal handlers above run on .NET's signal thread, and a waiting thread of
        // its own (WaitAsync) would be one more thread start per command.
        return ChildProcesses.Wait(child.Pid).ShellCode;
    }

    // Ctrl-C from a terminal reaches the whole foreground process group, the child too: then SIGINT needs no
    // forwarding (the child would get it twice), we only must not die of it before the child does. Sent to us
    // alone (kill, a background job, no terminal), it is forwarded, as SIGTERM is.
    private static void ForwardUnlessTyped(PosixSignalContext context, HeldSignals target, int signal)
    {
        context.Cancel = true;
        if (!Skiff.Runtime.Terminal.ForegroundGroup.OwnsControllingTerminal())
        {
            target.Send(signal);
        }
    }
}
