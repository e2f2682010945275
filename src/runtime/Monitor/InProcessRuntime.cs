using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// skiff's own runtime run inside the monitor: the same state as `skiff oci create` leaves, without starting a
/// runtime process for create, start and delete. The init is spawned as soon as the root is mounted and waits
/// for its spec, which it gets (with the user resolved meanwhile) at <see cref="Create"/>.
/// </summary>
internal sealed class InProcessRuntime(Containers.OciRuntime builtIn, ContainerStore store, string id, NetworkStart network, ContainerStdio stdio) : IMonitorRuntime
{
    private Containers.PendingContainer? pending;
    private SafeFileHandle? consoleListener;

    public string Name => OciRuntimes.BuiltIn;

    /// <summary>The first half of the create: the init is spawned and waits for its spec.</summary>
    public void Begin(ContainerConfig config, SafeFileHandle nullIn, SafeFileHandle nullOut)
    {
        Containers.CreateOptions options = Options(config);
        SafeFileHandle? outWrite = null;
        SafeFileHandle? errWrite = null;
        SafeFileHandle? stdinRead = null;
        try
        {
            if (config.Tty)
            {
                consoleListener = UnixSockets.Listen(store.ConsoleSocketPath(id), seqPacket: false);
                options = options with { Stdio = (nullIn, nullOut, nullOut) };
            }
            else if (stdio.Passthrough is { } caller)
            {
                // As podman: the caller's stdin only with -i.
                options = options with { Stdio = (config.OpenStdin ? caller.Input : nullIn, caller.Output, caller.Error) };
            }
            else
            {
                (stdio.Stdout, outWrite) = Descriptors.Pipe();
                (stdio.Stderr, errWrite) = Descriptors.Pipe();
                if (config.OpenStdin)
                {
                    (stdinRead, stdio.StdinWriter) = Descriptors.Pipe();
                }

                options = options with { Stdio = (stdinRead ?? nullIn, outWrite, errWrite) };
            }

            pending = RuntimeCall(() => builtIn.SpawnAsync(options).GetAwaiter().GetResult());
        }
        catch
        {
            CloseConsoleListener();
            throw;
        }
        finally
        {
            outWrite?.Dispose();
            errWrite?.Dispose();
            stdinRead?.Dispose();
        }
    }

    public void Abort()
    {
        if (pending is null)
        {
            return;
        }

        try
        {
            builtIn.Abort(pending);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
        }

        CloseConsoleListener();
    }

    /// <summary>The second half: sends the init its spec and waits until it is ready; returns its pid.</summary>
    public int Create(ContainerConfig config, SafeFileHandle nullIn, SafeFileHandle nullOut)
    {
        try
        {
            Containers.ContainerRecord record = RuntimeCall(() => builtIn.Complete(pending!, Options(config)));
            if (consoleListener is not null)
            {
                // The init sent the pty master before it reported ready, so the connection is queued.
                stdio.Terminal = ConsoleSocket.ReceiveTerminal(consoleListener, createPid: 0);
            }

            return record.Pid;
        }
        finally
        {
            CloseConsoleListener();
        }
    }

    public string? Start()
    {
        try
        {
            builtIn.Start(id);
            return null;
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
            return e.Message;
        }
    }

    public void Delete()
    {
        try
        {
            builtIn.Delete(id, force: true);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            // Already gone (never created, or removed by rm -f meanwhile).
        }
    }

    private Containers.CreateOptions Options(ContainerConfig config) => new(id, store.BundleDirectory(id))
    {
        SystemdCgroup = config.SystemdCgroup,
        // The network helper (pasta needs ~40 ms to set up) works while the init builds its root.
        NamespacesReady = network.NamespacesReady(config),
        NetworkNamespace = network.EarlyNamespace,
        ConsoleSocket = config.Tty ? store.ConsoleSocketPath(id) : null,
        PreservedFds = stdio.Preserved?.Handles ?? [],
    };

    /// <summary>Runs a runtime step; a failure reads as the runtime's error (the monitor undoes the early network connection).</summary>
    private static T RuntimeCall<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (SkiffException e) when (e.Kind is ErrorKind.CommandNotFound or ErrorKind.CannotExecute)
        {
            throw;
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            throw new SkiffException((e as SkiffException)?.Kind ?? ErrorKind.Internal, $"OCI runtime error: {OciRuntimes.BuiltIn}: {e.Message}", (e as SkiffException)?.Hint);
        }
    }

    private void CloseConsoleListener()
    {
        if (consoleListener is not null)
        {
            consoleListener.Dispose();
            consoleListener = null;
            File.Delete(store.ConsoleSocketPath(id));
        }
    }
}
