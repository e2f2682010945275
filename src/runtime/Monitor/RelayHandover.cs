using System.Globalization;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// What the monitor hands to skiff-relay when it replaces itself with it (execve keeps the pid, the
/// children, the subreaper flag and every descriptor without close-on-exec): the container, its
/// descriptors by number, the log, and the skiff to exec back into when the container ends. Passed
/// as <c>key=value</c> arguments; a descriptor of -1 is absent.
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

        return new RelayHandover(
            values["root"], values["runroot"], values["id"], pid, pidFd, listener, stdout, stderr, terminal, stdin, clients,
            values["log-driver"], values["log-path"], values["skiff"]);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= -1;
}
