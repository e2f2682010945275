using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's <c>--systemd=true|false|always</c>: whether a container is run the way systemd as its PID 1 expects
/// (tmpfs on /run, /run/lock, /tmp and /var/log/journal, a writable systemd cgroup, <c>container_uuid</c>, and
/// SIGRTMIN+3 to stop it). Decided once at create from the command; the container records the answer.
/// </summary>
public static class SystemdMode
{
    public const string True = "true";

    public const string False = "false";

    public const string Always = "always";

    /// <summary>What systemd takes as "halt" (systemd(1)); the stop signal unless --stop-signal or the image's STOPSIGNAL says otherwise.</summary>
    public const string StopSignal = "SIGRTMIN+3";

    /// <summary>The commands podman 4.3 recognises as an init (besides any program whose base name is <c>systemd</c>).</summary>
    private static readonly string[] InitCommands = ["/sbin/init", "/usr/sbin/init", "/usr/local/sbin/init"];

    /// <summary>The flag's value, lower-cased as podman reads it; anything else is podman's error.</summary>
    public static string Parse(string? value)
    {
        string setting = (value ?? True).ToLowerInvariant();
        if (setting is not (True or False or Always))
        {
            throw SkiffException.InvalidArgument(
                "invalid config provided: --systemd values must be one of \"true, false, always\"",
                "use --systemd=true (systemd mode when the command is an init), --systemd=always or --systemd=false");
        }

        return setting;
    }

    /// <summary>
    /// podman's rule: always with <c>always</c>; with <c>true</c> when the command's first word (after a leading
    /// <c>/bin/sh -c</c> of a longer command, as podman build writes entrypoints) is one of the init paths or a
    /// program named <c>systemd</c>. The command is the whole argv, --init's binary included, so --init turns it off.
    /// </summary>
    public static bool Applies(string setting, IReadOnlyList<string> command)
    {
        if (setting == Always)
        {
            return true;
        }

        if (setting != True || command.Count == 0)
        {
            return false;
        }

        string first = command.Count > 2 && command[0] == "/bin/sh" && command[1] == "-c" ? command[2] : command[0];
        return InitCommands.Contains(first, StringComparer.Ordinal) || Path.GetFileName(first) == "systemd";
    }

    /// <summary><c>container_uuid</c>: the id's first 32 hex digits, which systemd takes as the machine id when /etc/machine-id is empty.</summary>
    public static string ContainerUuid(string id) => "container_uuid=" + (id.Length > 32 ? id[..32] : id);
}
