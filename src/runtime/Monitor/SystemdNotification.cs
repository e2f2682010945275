using System.Globalization;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// What the monitor tells systemd when the container's process has started, for --sdnotify (see
/// <see cref="SdNotifyModes"/>): <c>MAINPID</c> is the monitor, which lives as long as the container (podman names
/// conmon so), and with <c>conmon</c> also <c>READY=1</c>; with <c>container</c> the container says READY itself
/// through <see cref="NotifyProxy"/>. The socket is opened for the one message and closed (sd_notify(3)'s protocol:
/// one datagram, newline-separated assignments).
/// </summary>
public static class SystemdNotification
{
    /// <summary>The datagram for a container of <paramref name="mode"/> whose monitor is <paramref name="monitorPid"/>.</summary>
    public static string StartedMessage(string mode, int monitorPid) =>
        "MAINPID=" + monitorPid.ToString(CultureInfo.InvariantCulture) + (mode == SdNotifyModes.Conmon ? "\nREADY=1" : string.Empty);

    /// <summary>Sends the start's message, when the container has a socket; a failure is logged (monitor.log), not fatal, as podman's.</summary>
    public static void Started(ContainerConfig config, int monitorPid)
    {
        if (config.SdNotifySocket is not { } socket || config.SdNotifyMode is not { } mode || mode == SdNotifyModes.Ignore)
        {
            return;
        }

        try
        {
            UnixSockets.SendDatagram(socket, Encoding.UTF8.GetBytes(StartedMessage(mode, monitorPid)));
        }
        catch (SkiffException e)
        {
            Console.Error.WriteLine($"skiff monitor: notifying systemd at {socket}: {e.Message}");
        }
    }
}
