using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// --sdnotify=container: the container's process gets a notify socket of the monitor's (bound on the host in
/// <see cref="ContainerStore.NotifyDirectory"/>, which the bundle mounts at <see cref="Destination"/>), and the monitor
/// passes what arrives on to systemd's socket. systemd takes a notification under NotifyAccess=all only from a process
/// of the service's cgroup, which the monitor is (it stays in its caller's group) and the container's process need not
/// be: the reason for a proxy (conmon's too) rather than the host socket itself in the container. A MAINPID from the
/// container is dropped (the monitor is the main process); the proxy ends, its socket closed and removed, once READY=1
/// has been passed on. It runs on a thread of its own, which only waits on the socket.
/// </summary>
public sealed class NotifyProxy : IDisposable
{
    /// <summary>Where the container finds the socket's directory (podman's).</summary>
    public const string Destination = "/run/notify";

    /// <summary>The socket's file name in the directory, and so NOTIFY_SOCKET in the container is /run/notify/notify.sock.</summary>
    public const string SocketName = "notify.sock";

    private readonly SafeFileHandle socket;
    private readonly string path;
    private readonly string target;
    private int done;

    private NotifyProxy(SafeFileHandle socket, string path, string target)
    {
        this.socket = socket;
        this.path = path;
        this.target = target;
    }

    /// <summary>The container's NOTIFY_SOCKET.</summary>
    public static string ContainerSocket => Destination + "/" + SocketName;

    /// <summary>Whether a container of <paramref name="config"/> gets the proxy.</summary>
    public static bool Wanted(ContainerConfig config) =>
        config.SdNotifyMode == SdNotifyModes.Container && config.SdNotifySocket is not null;

    /// <summary>Still waiting for the container's READY=1.</summary>
    public bool Waiting => Volatile.Read(ref done) == 0;

    /// <summary>Binds the socket (before the runtime creates the container, which mounts its directory) and starts passing on.</summary>
    public static NotifyProxy? Start(ContainerStore store, ContainerConfig config)
    {
        if (!Wanted(config) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        string directory = store.NotifyDirectory(config.Id);
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
        string path = Path.Combine(directory, SocketName);
        File.Delete(path);
        SafeFileHandle socket = UnixSockets.BindDatagram(path);
        // Any user of the container may notify, as with systemd's own socket.
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("777", 8));
        var proxy = new NotifyProxy(socket, path, config.SdNotifySocket!);
        Threading.BackgroundThread.Start("notify proxy", proxy.Run);
        return proxy;
    }

    /// <summary>
    /// The lines of one datagram to pass on, and whether READY=1 is among them: MAINPID goes (the monitor names itself),
    /// the rest as it came.
    /// </summary>
    public static (string? Forward, bool Ready) Filter(string datagram)
    {
        string[] kept = datagram.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("MAINPID=", StringComparison.Ordinal))
            .ToArray();
        return (kept.Length == 0 ? null : string.Join('\n', kept), kept.Contains("READY=1"));
    }

    private void Run()
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (Waiting)
            {
                int length = UnixSockets.Receive(socket, buffer);
                if (length <= 0)
                {
                    break;
                }

                (string? forward, bool ready) = Filter(Encoding.UTF8.GetString(buffer, 0, length));
                if (forward is not null)
                {
                    try
                    {
                        UnixSockets.SendDatagram(target, Encoding.UTF8.GetBytes(forward));
                    }
                    catch (SkiffException e)
                    {
                        Console.Error.WriteLine($"skiff monitor: passing the container's notification to {target}: {e.Message}");
                    }
                }

                if (ready)
                {
                    break;
                }
            }
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref done, 1) != 0)
        {
            return;
        }

        UnixSockets.Shutdown(socket);
        socket.Dispose();
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
