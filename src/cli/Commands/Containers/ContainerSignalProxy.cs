using System.Runtime.InteropServices;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// docker's --sig-proxy: this command's SIGHUP, SIGINT, SIGQUIT, SIGUSR1/2 and SIGTERM go to the container's process.
/// Taken before the container starts: a signal that arrives while the start is under way (the container may already
/// be writing to the caller's terminal) is held and sent once it runs, rather than ending this command alone and
/// leaving the container running without it.
/// </summary>
public sealed class ContainerSignalProxy : IDisposable
{
    private static readonly int[] Forwarded = [1, 2, 3, 10, 12, 15];

    private readonly ContainerLifecycle lifecycle;
    private readonly string id;
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly HeldSignals signals;

    public ContainerSignalProxy(ContainerLifecycle lifecycle, string id)
    {
        this.lifecycle = lifecycle;
        this.id = id;
        signals = new HeldSignals(Forward);
        foreach (int signal in Forwarded)
        {
            registrations.Add(PosixSignalRegistration.Create((PosixSignal)signal, context =>
            {
                context.Cancel = true;
                signals.Send(signal);
            }));
        }
    }

    /// <summary>The container runs: the signals held so far are sent now, in the order they came, and later ones at once.</summary>
    public void Started() => signals.Release();

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in registrations)
        {
            registration.Dispose();
        }
    }

    private void Forward(int signal)
    {
        try
        {
            ContainerState state = lifecycle.Store.ReadState(id);
            if (StateObserver.ContainerAlive(state))
            {
                ChildProcesses.TrySignal(state.Pid, signal);
            }
        }
        catch (Exception e) when (e is Core.Errors.SkiffException or IOException)
        {
            // The container is gone; its exit arrives through the attach socket.
        }
    }
}
