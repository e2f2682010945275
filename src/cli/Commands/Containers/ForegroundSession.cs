using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;
using Skiff.Runtime.Terminal;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// A container in the foreground (run without -d, start -a, attach): raw terminal with -t, window size
/// and SIGWINCH, signals forwarded to the container (docker's --sig-proxy), and the container's exit code.
/// </summary>
public static class ForegroundSession
{
    /// <param name="proxySignals">Forward SIGHUP, SIGINT, SIGQUIT, SIGUSR1/2 and SIGTERM to the container. Without it (--sig-proxy=false)
    /// SIGINT and SIGTERM end this session and leave the container running, exiting 1 and 0 as podman 4.3 does.</param>
    /// <param name="streams">The container's output streams shown here (run -a); both when null.</param>
    /// <param name="signals">The proxy taken before the container started (run, start -a), which the session now owns; one is taken here when null.</param>
    public static async Task<int> RunAsync(
        ContainerLifecycle lifecycle, string id, SafeFileHandle socket, bool tty, bool stdin, string? detachKeys, bool proxySignals = true, AttachStreams? streams = null,
        ContainerSignalProxy? signals = null)
    {
        var client = new AttachClient(socket) { Stdout = streams?.Stdout ?? true, Stderr = streams?.Stderr ?? true };
        using RawTerminal? raw = !tty ? null : stdin ? RawTerminal.TryEnter(0) : RawTerminal.TryEnterOutput(1);
        var registrations = new List<PosixSignalRegistration>();
        try
        {
            if (tty && !OperatingSystem.IsWindows())
            {
                if (TerminalSize.TryGet(0) is TerminalSize size)
                {
                    client.SendResize(size);
                }

                registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
                {
                    if (TerminalSize.TryGet(0) is TerminalSize now)
                    {
                        client.SendResize(now);
                    }
                }));
            }

            if (proxySignals)
            {
                signals ??= new ContainerSignalProxy(lifecycle, id);
                signals.Started();
            }

            if (!proxySignals && !OperatingSystem.IsWindows())
            {
                registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
                {
                    context.Cancel = true;
                    client.Leave(1);
                }));
                registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
                {
                    context.Cancel = true;
                    client.Leave(0);
                }));
            }

            AttachResult result = await client.RunAsync(stdin, DetachKeys.Parse(detachKeys ?? DetachKeys.Default));
            switch (result.End)
            {
                case AttachEnd.Exited:
                    return result.ExitCode;
                case AttachEnd.Detached:
                    raw?.Dispose();
                    Console.Error.WriteLine();
                    return 0;
                case AttachEnd.Left:
                    return result.ExitCode;
                default:
                    ContainerState state = lifecycle.Wait(id);
                    return state.ExitCode;
            }
        }
        finally
        {
            foreach (PosixSignalRegistration registration in registrations)
            {
                registration.Dispose();
            }

            signals?.Dispose();
            socket.Dispose();
        }
    }
}
