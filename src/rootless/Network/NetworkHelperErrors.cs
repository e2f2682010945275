namespace Skiff.Rootless.Network;

/// <summary>Turns a network helper's stderr into an error detail and a hint the user can act on.</summary>
public static class NetworkHelperErrors
{
    /// <summary>
    /// Drops pasta's "Failed to send N bytes to syslog" lines (printed when no syslog socket exists) so the
    /// actual error is what the user reads.
    /// </summary>
    public static string Clean(string stderr) => string.Join(
        "; ",
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Failed to send", StringComparison.Ordinal) || !l.EndsWith("to syslog", StringComparison.Ordinal)));

    /// <summary>
    /// The hint for the commonest setup problem, /dev/net/tun not accessible, is decided by checking the device
    /// itself, not by reading the message.
    /// </summary>
    public static string? HintFor(string detail, string helper)
    {
        if (!DeviceAccess.CanOpenReadWrite("/dev/net/tun"))
        {
            return $"{helper} needs /dev/net/tun, which you cannot open: as root run `chmod 0666 /dev/net/tun` (see `skiff system check`)";
        }

        return detail.Length == 0 ? $"run `skiff system check` to look for problems with {helper}" : null;
    }
}
