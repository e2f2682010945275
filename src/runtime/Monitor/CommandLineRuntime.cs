using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Monitor;

/// <summary>An OCI runtime driven through its command line (runc, crun, `skiff oci`): create, start and delete are each a process.</summary>
internal sealed class CommandLineRuntime(RuntimeInvoker runtime, ContainerStore store, string id, ContainerStdio stdio) : IMonitorRuntime
{
    public string Name => Path.GetFileName(runtime.Cli.Program);

    /// <summary>Nothing: the command line creates in one step, after the monitor's checks.</summary>
    public void Begin(ContainerConfig config, SafeFileHandle nullIn, SafeFileHandle nullOut)
    {
    }

    public void Abort()
    {
    }

    /// <summary>run --preserve-fds: the runtime passes its 3 and up on to the container's process.</summary>
    private IReadOnlyList<System.Runtime.InteropServices.SafeHandle> Preserved => stdio.Preserved?.Handles ?? [];

    public int Create(ContainerConfig config, SafeFileHandle nullIn, SafeFileHandle nullOut)
    {
        (SafeFileHandle errorRead, SafeFileHandle errorWrite) = Descriptors.Pipe();
        using (errorRead)
        {
            int createPid;
            SafeFileHandle? consoleListener = null;
            try
            {
                if (config.Tty)
                {
                    consoleListener = UnixSockets.Listen(store.ConsoleSocketPath(id), seqPacket: false);
                    createPid = runtime.Spawn(
                        runtime.Cli.Create(id, store.BundleDirectory(id), store.PidFilePath(id), store.ConsoleSocketPath(id), Preserved.Count),
                        nullIn,
                        nullOut,
                        errorWrite,
                        Preserved);
                    errorWrite.Dispose();
                    stdio.Terminal = ConsoleSocket.ReceiveTerminal(consoleListener, createPid);
                }
                else if (stdio.Passthrough is { } caller)
                {
                    // As podman: the caller's stdin only with -i; the runtime's own errors go to the caller too.
                    errorWrite.Dispose();
                    createPid = runtime.Spawn(runtime.Cli.Create(id, store.BundleDirectory(id), store.PidFilePath(id), null, Preserved.Count), config.OpenStdin ? caller.Input : nullIn, caller.Output, caller.Error, Preserved);
                }
                else
                {
                    (SafeFileHandle outRead, SafeFileHandle outWrite) = Descriptors.Pipe();
                    (SafeFileHandle errRead, SafeFileHandle errWrite) = Descriptors.Pipe();
                    SafeFileHandle stdinRead = nullIn;
                    if (config.OpenStdin)
                    {
                        (stdinRead, stdio.StdinWriter) = Descriptors.Pipe();
                    }

                    stdio.Stdout = outRead;
                    stdio.Stderr = errRead;
                    errorWrite.Dispose();
                    createPid = runtime.Spawn(runtime.Cli.Create(id, store.BundleDirectory(id), store.PidFilePath(id), null, Preserved.Count), stdinRead, outWrite, errWrite, Preserved);
                    outWrite.Dispose();
                    errWrite.Dispose();
                    if (config.OpenStdin)
                    {
                        stdinRead.Dispose();
                    }
                }
            }
            finally
            {
                consoleListener?.Dispose();
                File.Delete(store.ConsoleSocketPath(id));
            }

            ChildExit created = ChildProcesses.Wait(createPid);
            if (created.ShellCode != 0)
            {
                string detail = RuntimeError.TryRead(runtime.Cli.LogFile)
                    ?? DrainText(stdio.Stderr ?? errorRead)
                    ?? $"exit code {created.ShellCode}";
                runtime.Run(runtime.Cli.Delete(id));
                detail = detail.Trim();
                if (detail.StartsWith("Error: ", StringComparison.Ordinal))
                {
                    detail = detail["Error: ".Length..];
                }

                // skiff's built-in runtime exits 127/126 when execve would fail with ENOENT/EACCES (decided
                // from the errno its init reported), which is docker's contract for the container's exit code.
                ErrorKind kind = config.Runtime == OciRuntimes.BuiltIn
                    ? created.ShellCode switch { 127 => ErrorKind.CommandNotFound, 126 => ErrorKind.CannotExecute, _ => ErrorKind.Internal }
                    : ErrorKind.Internal;
                throw new SkiffException(kind, kind == ErrorKind.Internal ? $"OCI runtime error: {Name}: {detail}" : detail);
            }
        }

        return int.Parse(File.ReadAllText(store.PidFilePath(id)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public string? Start()
    {
        ChildExit started = runtime.Run(runtime.Cli.Start(id));
        return started.ShellCode != 0 ? RuntimeError.TryRead(runtime.Cli.LogFile) ?? $"exit code {started.ShellCode}" : null;
    }

    public void Delete() => runtime.Run(runtime.Cli.Delete(id));

    private static string? DrainText(SafeFileHandle? source)
    {
        if (source is null)
        {
            return null;
        }

        Descriptors.SetNonBlocking(source);
        byte[] chunk = new byte[4096];
        int n = Descriptors.Read(source, chunk);
        return n > 0 ? Encoding.UTF8.GetString(chunk, 0, n) : null;
    }
}
