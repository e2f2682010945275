using System.Collections;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Monitor;

/// <summary>Starts OCI runtime commands with exactly the stdio given (posix_spawn), so the container inherits what the monitor chose.</summary>
public sealed class RuntimeInvoker(OciRuntimeCli cli)
{
    public OciRuntimeCli Cli { get; } = cli;

    /// <param name="preserveFds">Our descriptors 3..3+N-1, passed on at the same numbers (exec --preserve-fds).</param>
    public int Spawn(IReadOnlyList<string> argv, SafeFileHandle stdin, SafeFileHandle stdout, SafeFileHandle stderr, int preserveFds = 0) =>
        Spawn(argv, stdin, stdout, stderr, [.. Enumerable.Range(3, preserveFds).Select(fd => new SafeFileHandle(fd, ownsHandle: false))]);

    /// <param name="preserved">Descriptors the runtime gets at 3 and up, for its --preserve-fds.</param>
    public int Spawn(IReadOnlyList<string> argv, SafeFileHandle stdin, SafeFileHandle stdout, SafeFileHandle stderr, IReadOnlyList<System.Runtime.InteropServices.SafeHandle> preserved)
    {
        List<(System.Runtime.InteropServices.SafeHandle, int)> descriptors = [(stdin, 0), (stdout, 1), (stderr, 2)];
        for (int i = 0; i < preserved.Count; i++)
        {
            descriptors.Add((preserved[i], 3 + i));
        }

        return Spawner.Spawn(new SpawnRequest(Cli.Program, argv, CurrentEnvironment()) { Descriptors = descriptors });
    }

    /// <summary>Runs a runtime command with no stdio of interest and returns its exit.</summary>
    public ChildExit Run(IReadOnlyList<string> argv)
    {
        using SafeFileHandle nullIn = Descriptors.OpenNull(write: false);
        using SafeFileHandle nullOut = Descriptors.OpenNull(write: true);
        return ChildProcesses.Wait(Spawn(argv, nullIn, nullOut, nullOut));
    }

    public static Dictionary<string, string> CurrentEnvironment()
    {
        var environment = new Dictionary<string, string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            // The namespace entry stage's variables describe our own start; a child that inherited them
            // would run the entry protocol again on whatever its fd 3 is.
            // systemd's NOTIFY_SOCKET is the container's business through its config (see SdNotifyModes): runc and crun
            // would otherwise take it for themselves (runc's start then waits for the container's READY=1).
            if (!((string)entry.Key).StartsWith("_SKIFF_NS_", StringComparison.Ordinal) && (string)entry.Key != Lifecycle.SdNotifyModes.SocketVariable)
            {
                environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
            }
        }

        environment.TryAdd("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return environment;
    }
}
