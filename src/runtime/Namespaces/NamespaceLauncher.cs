using System.Globalization;
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
                    throw new SkiffException(
                        message.Value is Errnos.EPERM or Errnos.EACCES ? ErrorKind.PermissionDenied : ErrorKind.Internal,
                        $"{SyncMessage.DescribeStep(message.Step)} failed: {Errnos.Describe(message.Value)}",
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
