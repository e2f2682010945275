using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's --sdnotify, for a skiff run by systemd with Type=notify (NOTIFY_SOCKET set): <c>container</c> (the default:
/// the container's own process says when it is ready, through a socket the monitor passes on; the monitor sends
/// MAINPID), <c>conmon</c> (the monitor sends MAINPID and READY=1 once the container's process runs) and
/// <c>ignore</c> (NOTIFY_SOCKET is neither used nor passed on).
/// </summary>
public static class SdNotifyModes
{
    public const string Container = "container";

    public const string Conmon = "conmon";

    public const string Ignore = "ignore";

    /// <summary>The variable systemd sets for a Type=notify service (sd_notify(3)).</summary>
    public const string SocketVariable = "NOTIFY_SOCKET";

    /// <summary>
    /// The mode as stored: <see cref="Container"/> when not given (podman's default), null for an empty value (podman
    /// then records no mode and no socket); anything else is podman's error.
    /// </summary>
    public static string? Parse(string? value) => value switch
    {
        null => Container,
        "" => null,
        Container or Conmon or Ignore => value,
        _ => throw SkiffException.InvalidArgument(
            $"invalid config provided: invalid argument: invalid sdnotify value \"{value}\": must be {Container}, {Conmon} or {Ignore}",
            "use --sdnotify container, conmon or ignore"),
    };

    /// <summary>The socket a container of <paramref name="mode"/> reports to: NOTIFY_SOCKET as skiff got it, none with ignore, without a mode or without the variable.</summary>
    public static string? Socket(string? mode, string? notifySocket) =>
        mode is null or Ignore || string.IsNullOrEmpty(notifySocket) ? null : notifySocket;
}
