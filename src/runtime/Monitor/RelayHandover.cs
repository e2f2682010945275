using System.Globalization;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// What the monitor hands to skiff-relay when it replaces itself with it (execve keeps the pid, the
/// children, the subreaper flag and every descriptor without close-on-exec): the container, its
/// descriptors by number, the log, and the skiff to exec back into when the container ends. Passed
/// as <c>key=value</c> arguments; a descriptor of -1 is absent. A container with scheduled healthchecks also passes
/// the schedule: the interval, when the next check is due (<see cref="Environment.TickCount64"/>, system-wide) and a
/// check still running (its pid and pidfd), so checks go on at the same pace and never two at once. A container with
/// a --timeout passes when it runs out (<see cref="MonitorRelay.Deadline"/>, the same clock): a time, not a duration,
/// so the handover does not extend it.
/// </summary>
public sealed record RelayHandover(
    string Root,
    string RunRoot,
    string Id,
    int Pid,
    int PidFd,
    int Listener,
    int Stdout,
    int Stderr,
    int Terminal,
    int Stdin,
    IReadOnlyList<int> Clients,
    string LogDriver,
    string LogPath,
    string Skiff)
{
    /// <summary>Milliseconds between scheduled checks; 0 when none are scheduled.</summary>
    public long HealthInterval { get; init; }

    public long HealthDue { get; init; }

    public int HealthPid { get; init; }

    public int HealthPidFd { get; init; } = -1;

    /// <summary>When the container's --timeout runs out (<see cref="Environment.TickCount64"/>); 0 for none.</summary>
    public long Deadline { get; init; }

    /// <summary>The log's --log-opt max-size and max-file.</summary>
    public Logs.LogRotation LogRotation { get; init; } = Logs.LogRotation.None;

    /// <summary>skiff-relay's file name, installed next to skiff (or in ../libexec/skiff).</summary>
    public const string FileName = "skiff-relay";

    public List<string> ToArguments()
    {
        var arguments = new List<string>
        {
            "root=" + Root,
            "runroot=" + RunRoot,
            "id=" + Id,
            "pid=" + Number(Pid),
            "pidfd=" + Number(PidFd),
            "listener=" + Number(Listener),
            "stdout=" + Number(Stdout),
            "stderr=" + Number(Stderr),
            "terminal=" + Number(Terminal),
            "stdin=" + Number(Stdin),
            "log-driver=" + LogDriver,
            "log-path=" + LogPath,
            "skiff=" + Skiff,
        };
        arguments.AddRange(Clients.Select(client => "client=" + Number(client)));
        if (LogRotation.MaxSize > 0)
        {
            arguments.Add("log-max-size=" + LogRotation.MaxSize.ToString(CultureInfo.InvariantCulture));
            arguments.Add("log-max-files=" + Number(LogRotation.MaxFiles));
        }
        if (Deadline > 0)
        {
            arguments.Add("deadline=" + Deadline.ToString(CultureInfo.InvariantCulture));
        }

        if (HealthInterval > 0)
        {
            arguments.AddRange([
                "health-interval=" + HealthInterval.ToString(CultureInfo.InvariantCulture),
                "health-due=" + HealthDue.ToString(CultureInfo.InvariantCulture),
                "health-pid=" + Number(HealthPid),
                "health-pidfd=" + Number(HealthPidFd),
            ]);
        }

        return arguments;
    }

    /// <summary>Reads <see cref="ToArguments"/>'s output; null when something required is missing or malformed.</summary>
    public static RelayHandover? Parse(IEnumerable<string> arguments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var clients = new List<int>();
        foreach (string argument in arguments)
        {
            int equals = argument.IndexOf('=');
            if (equals <= 0)
            {
                return null;
            }

            string key = argument[..equals];
            string value = argument[(equals + 1)..];
            if (key == "client")
            {
                if (!TryNumber(value, out int client) || client < 0)
                {
                    return null;
                }

                clients.Add(client);
            }
            else
            {
                values[key] = value;
            }
        }

        string[] required = ["root", "runroot", "id", "pid", "pidfd", "listener", "stdout", "stderr", "terminal", "stdin", "log-driver", "log-path", "skiff"];
        if (required.Any(key => !values.ContainsKey(key)))
        {
            return null;
        }

        if (!TryNumber(values["pid"], out int pid) || pid <= 0 || !TryNumber(values["pidfd"], out int pidFd) || pidFd < 0
            || !TryNumber(values["listener"], out int listener) || !TryNumber(values["stdout"], out int stdout)
            || !TryNumber(values["stderr"], out int stderr) || !TryNumber(values["terminal"], out int terminal)
            || !TryNumber(values["stdin"], out int stdin))
        {
            return null;
        }

        long healthInterval = 0, healthDue = 0;
        int healthPid = 0, healthPidFd = -1;
        if (values.TryGetValue("health-interval", out string? interval)
            && (!long.TryParse(interval, NumberStyles.None, CultureInfo.InvariantCulture, out healthInterval)
                || !values.TryGetValue("health-due", out string? due) || !long.TryParse(due, NumberStyles.None, CultureInfo.InvariantCulture, out healthDue)
                || !values.TryGetValue("health-pid", out string? checkPid) || !TryNumber(checkPid, out healthPid)
                || !values.TryGetValue("health-pidfd", out string? checkPidFd) || !TryNumber(checkPidFd, out healthPidFd)))
        {
            return null;
        }

        long deadline = 0;
        if (values.TryGetValue("deadline", out string? end) && (!long.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out deadline) || deadline <= 0))
        {
            return null;
        }

        long logMaxSize = 0;
        int logMaxFiles = 1;
        if (values.TryGetValue("log-max-size", out string? maxSize)
            && (!long.TryParse(maxSize, NumberStyles.None, CultureInfo.InvariantCulture, out logMaxSize)
                || !values.TryGetValue("log-max-files", out string? maxFiles) || !TryNumber(maxFiles, out logMaxFiles) || logMaxFiles < 1))
        {
            return null;
        }

        return new RelayHandover(
            values["root"], values["runroot"], values["id"], pid, pidFd, listener, stdout, stderr, terminal, stdin, clients,
            values["log-driver"], values["log-path"], values["skiff"])
        {
            HealthInterval = healthInterval,
            HealthDue = healthDue,
            HealthPid = Math.Max(0, healthPid),
            HealthPidFd = healthPidFd,
            Deadline = deadline,
            LogRotation = new Logs.LogRotation(logMaxSize, logMaxFiles),
        };
    }

    /// <summary>The healthcheck schedule this handover carries; null when none.</summary>
    public HealthCheckSchedule? HealthChecks(Func<int, Microsoft.Win32.SafeHandles.SafeFileHandle?> handle) =>
        HealthInterval > 0
            ? new HealthCheckSchedule(
                new Health.HealthCheckCommand(Skiff, Root, RunRoot, Id),
                new Health.HealthCheckTimer(HealthInterval, HealthDue, running: HealthPid > 0),
                HealthPid,
                HealthPid > 0 ? handle(HealthPidFd) : null)
            : null;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= -1;
}
