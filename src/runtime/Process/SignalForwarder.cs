using System.Runtime.InteropServices;

namespace Skiff.Runtime.Process;

/// <summary>While alive, passes the termination and user signals this process gets on to another process.</summary>
public sealed class SignalForwarder : IDisposable
{
    private static readonly int[] Forwarded = [1, 2, 3, 10, 12, 15];

    private readonly List<PosixSignalRegistration> registrations = [];

    public SignalForwarder(int pid)
    {
        foreach (int signal in Forwarded)
        {
            registrations.Add(PosixSignalRegistration.Create((PosixSignal)signal, context =>
            {
                context.Cancel = true;
                ChildProcesses.TrySignal(pid, signal);
            }));
        }
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in registrations)
        {
            registration.Dispose();
        }
    }
}
