namespace Skiff.Runtime.Monitor;

/// <summary>
/// The command line of an OCI runtime (runc, crun, or skiff's own <c>skiff oci</c>): argv builders only,
/// so the same monitor drives any of them and the argv is unit-tested.
/// </summary>
/// <param name="Program">The runtime executable.</param>
/// <param name="Prefix">Arguments before the global options (["oci"] for skiff's built-in runtime).</param>
/// <param name="StateRoot">The runtime's --root, where it keeps its own per-container state.</param>
/// <param name="LogFile">Where the runtime writes its errors as JSON lines (--log, --log-format json); null when unsupported.</param>
public sealed record OciRuntimeCli(string Program, IReadOnlyList<string> Prefix, string StateRoot, string? LogFile)
{
    /// <summary>--systemd-cgroup: linux.cgroupsPath is SLICE:PREFIX:NAME and the runtime asks systemd for the scope.</summary>
    public bool SystemdCgroup { get; init; }

    /// <param name="preserveFds">The runtime's descriptors 3 to 2+N go to the container's process (run --preserve-fds).</param>
    public IReadOnlyList<string> Create(string id, string bundle, string pidFile, string? consoleSocket, int preserveFds = 0)
    {
        var argv = Global();
        argv.AddRange(["create", "--bundle", bundle, "--pid-file", pidFile]);
        if (consoleSocket is not null)
        {
            argv.AddRange(["--console-socket", consoleSocket]);
        }

        if (preserveFds > 0)
        {
            argv.AddRange(["--preserve-fds", preserveFds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        argv.Add(id);
        return argv;
    }

    public IReadOnlyList<string> Start(string id) => [.. Global(), "start", id];

    public IReadOnlyList<string> Kill(string id, int signal) => [.. Global(), "kill", id, signal.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    public IReadOnlyList<string> Delete(string id) => [.. Global(), "delete", "--force", id];

    /// <summary>
    /// Runs a process in the container. Without a console socket the runtime waits for it and exits with
    /// its code; runc accepts a console socket only when detaching, so then the runtime writes the pid to
    /// <paramref name="pidFile"/> and leaves the process to the caller (a child subreaper).
    /// </summary>
    public IReadOnlyList<string> Exec(string id, ExecOptions options, string? consoleSocket, string? pidFile = null)
    {
        var argv = Global();
        argv.Add("exec");
        if (consoleSocket is not null)
        {
            argv.AddRange(["--tty", "--console-socket", consoleSocket]);
        }

        if (options.Detach || consoleSocket is not null)
        {
            argv.Add("--detach");
        }

        if (pidFile is not null)
        {
            argv.AddRange(["--pid-file", pidFile]);
        }

        foreach (string variable in options.Env)
        {
            argv.AddRange(["--env", variable]);
        }

        if (options.User is { Length: > 0 } user)
        {
            argv.AddRange(["--user", user]);
        }

        // skiff's runtime and runc take --additional-gids; crun 1.8 has no such flag, so there the groups are left out.
        if (Prefix.Count > 0 || Path.GetFileName(Program) == "runc")
        {
            foreach (uint gid in options.AdditionalGids)
            {
                argv.AddRange(["--additional-gids", gid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }
        }

        if (options.WorkingDir is { Length: > 0 } cwd)
        {
            argv.AddRange(["--cwd", cwd]);
        }

        foreach (string capability in options.Capabilities)
        {
            argv.AddRange(["--cap", capability]);
        }

        if (options.PreserveFds > 0)
        {
            argv.AddRange(["--preserve-fds", options.PreserveFds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        argv.Add(id);

        // skiff's own command line parses options anywhere, so the command goes after "--"; runc and
        // crun stop at the id and would take "--" as the command.
        if (Prefix.Count > 0)
        {
            argv.Add("--");
        }

        argv.AddRange(options.Args);
        return argv;
    }

    private List<string> Global()
    {
        var argv = new List<string>(Prefix);
        if (LogFile is not null)
        {
            argv.AddRange(["--log", LogFile, "--log-format", "json"]);
        }

        argv.AddRange(["--root", StateRoot]);
        if (SystemdCgroup)
        {
            argv.Add("--systemd-cgroup");
        }

        return argv;
    }
}
