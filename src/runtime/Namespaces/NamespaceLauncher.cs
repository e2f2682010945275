using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// Starts a program (normally skiff itself) whose native entry stage enters namespaces before .NET
/// starts, and answers the entry stage's requests (id maps). The program must contain nsenter.c:
/// the published NativeAOT skiff does.
/// </summary>
public sealed class NamespaceLauncher(IIdMapWriter mapWriter)
{
    /// <summary>fd number of the sync socket in the child, unless the request moves it (<see cref="NamespaceRequest.SyncFd"/>).</summary>
    public const int SyncFd = 3;

    public const string SyncVariable = "_SKIFF_NS_SYNC";
    public const string EnteredVariable = "_SKIFF_NS_ENTERED";

    public async Task<NamespacedProcess> StartAsync(SpawnRequest spawn, NamespaceRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Unshare.HasFlag(NamespaceKinds.User) && request.Maps is null)
        {
            throw new ArgumentException("a new user namespace needs id maps", nameof(request));
        }

        if (CanSpawnDirectly(request) && TryStartDirectly(spawn, request) is { } direct)
        {
            return direct;
        }

        (SafeFileHandle ours, SafeFileHandle theirs) = CreateSocketPair();
        int spawned;
        try
        {
            var environment = new Dictionary<string, string>(spawn.Environment)
            {
                [SyncVariable] = request.SyncFd.ToString(CultureInfo.InvariantCulture),
                ["_SKIFF_NS_FLAGS"] = ((int)request.Unshare).ToString(CultureInfo.InvariantCulture),
            };
            environment.Remove(EnteredVariable);
            if (request.JoinPid is int joinPid && request.Join != NamespaceKinds.None)
            {
                environment["_SKIFF_NS_JOIN"] = joinPid.ToString(CultureInfo.InvariantCulture);
                environment["_SKIFF_NS_JOIN_TYPES"] = string.Join(',', NamespaceNames.Each(request.Join).Select(NamespaceNames.ProcName));
            }

            foreach ((NamespaceKinds kind, string path) in request.JoinPaths)
            {
                environment["_SKIFF_NS_PATH_" + NamespaceNames.ProcName(kind)] = path;
            }

            if (request.CloneMount is { } cloneFrom)
            {
                environment["_SKIFF_NS_CLONE_FROM"] = cloneFrom;
            }

            if (request.KeepIds)
            {
                environment["_SKIFF_NS_NOSETUID"] = "1";
            }

            spawned = Spawner.Spawn(spawn with
            {
                Environment = environment,
                Descriptors = [.. spawn.Descriptors, (theirs, request.SyncFd)],
            });
        }
        catch
        {
            ours.Dispose();
            throw;
        }
        finally
        {
            theirs.Dispose();
        }

        try
        {
            int pid = await HandshakeAsync(ours, spawned, request, cancellationToken).ConfigureAwait(false);
            if (pid != spawned)
            {
                // The intermediate process exits right after reporting the forked child: a blocking wait
                // is microseconds, a dedicated waiting thread is not.
                ChildProcesses.Wait(spawned);
            }

            return new NamespacedProcess(pid, spawned, ours);
        }
        catch
        {
            ours.Dispose();
            ChildProcesses.TrySignal(spawned, 9);
            await ChildProcesses.WaitAsync(spawned).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Whether the process can be cloned straight into its namespaces (<see cref="Spawner.SpawnInto"/>) instead of
    /// going through the entry stage: an exec, the stage's unshare, a fork for the pid namespace and the stage's exit
    /// on every container's start. A process sharing the caller's memory cannot enter a user namespace, and a joined
    /// pid namespace holds only the joiner's children: those, and a mount cloned from another namespace, take the stage.
    /// </summary>
    private static bool CanSpawnDirectly(NamespaceRequest request) =>
        !request.Unshare.HasFlag(NamespaceKinds.User)
        && (request.JoinPid is null || (request.Join & (NamespaceKinds.User | NamespaceKinds.Pid)) == 0)
        && !request.JoinPaths.Keys.Any(kind => kind is NamespaceKinds.User or NamespaceKinds.Pid)
        && request.CloneMount is null;

    /// <summary>The order the entry stage joins namespaces in (mount last: the other paths are opened before anyway).</summary>
    private static readonly NamespaceKinds[] JoinOrder = [NamespaceKinds.Ipc, NamespaceKinds.Uts, NamespaceKinds.Network, NamespaceKinds.Cgroup, NamespaceKinds.Mount];

    /// <summary>The direct path; null where skiff_spawn_into is not linked in (a JIT build): the entry stage then does it.</summary>
    private static NamespacedProcess? TryStartDirectly(SpawnRequest spawn, NamespaceRequest request)
    {
        var joins = new List<(SafeHandle, NamespaceKinds)>();
        try
        {
            foreach (NamespaceKinds kind in JoinOrder)
            {
                string? path = request.JoinPaths.TryGetValue(kind, out string? file) ? file
                    : request.JoinPid is int pid && request.Join.HasFlag(kind) ? $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/{NamespaceNames.ProcName(kind)}"
                    : null;
                if (path is not null)
                {
                    joins.Add((OpenNamespace(path), kind));
                }
            }

            (SafeFileHandle ours, SafeFileHandle theirs) = CreateSocketPair();
            try
            {
                var environment = new Dictionary<string, string>(spawn.Environment) { [EnteredVariable] = "1" };
                environment.Remove(SyncVariable);
                int pid = Spawner.SpawnInto(spawn with { Environment = environment, Descriptors = [.. spawn.Descriptors, (theirs, request.SyncFd)] }, request.Unshare, joins);
                return new NamespacedProcess(pid, pid, ours);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                ours.Dispose();
                return null;
            }
            catch
            {
                ours.Dispose();
                throw;
            }
            finally
            {
                theirs.Dispose();
            }
        }
        finally
        {
            foreach ((SafeHandle handle, NamespaceKinds _) in joins)
            {
                handle.Dispose();
            }
        }
    }

    private static SafeFileHandle OpenNamespace(string path)
    {
        try
        {
            return Skiff.Runtime.Fds.Descriptors.Open(path, 0);
        }
        catch (SystemCallException e)
        {
            throw SyncMessage.StepFailure(6, e.Errno);
        }
    }

    private async Task<int> HandshakeAsync(SafeFileHandle sync, int spawned, NamespaceRequest request, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SyncMessage? received = SyncMessage.Receive(sync);
            if (received is not SyncMessage message)
            {
                throw SkiffException.Internal(
                    $"the namespace entry stage of process {spawned} ended without reporting; is {Path.GetFileName(Environment.ProcessPath)} the published skiff binary?");
            }

            switch (message.Tag)
            {
                case SyncMessage.UserNamespaceReady:
                    await mapWriter.WriteAsync(message.Value, request.Maps!, cancellationToken).ConfigureAwait(false);
                    new SyncMessage(SyncMessage.MapsWritten, 0, 0).Send(sync);
                    break;
                case SyncMessage.ProcessId:
                    return message.Value;
                case SyncMessage.Failure:
                    throw SyncMessage.StepFailure(
                        message.Step,
                        message.Value,
                        message.Step == 1 ? "unprivileged user namespaces may be disabled: check sysctl kernel.unprivileged_userns_clone and user.max_user_namespaces" : null);
                default:
                    throw SkiffException.Internal($"namespace entry stage sent unknown message {message.Tag}");
            }
        }
    }

    /// <summary>A stream pair on raw descriptors (see <see cref="SyncMessage.Receive"/> for why not Socket).</summary>
    private static unsafe (SafeFileHandle Ours, SafeFileHandle Theirs) CreateSocketPair()
    {
        int* fds = stackalloc int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds) != 0)
        {
            throw new SystemCallException("socketpair", null, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }

        return (new SafeFileHandle(fds[0], ownsHandle: true), new SafeFileHandle(fds[1], ownsHandle: true));
    }
}
