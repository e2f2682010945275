using System.Net.Sockets;
using System.Text;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// skiff run by systemd: --sdnotify with a real unix datagram socket made here standing for systemd's NOTIFY_SOCKET
/// (conmon: MAINPID of the monitor and READY=1; container: MAINPID, and the container's own READY=1 through the
/// monitor's socket at /run/notify/notify.sock; ignore: nothing, and nothing in the container), and the units of
/// `generate systemd`, whose commands are run here as systemd would run them (there is no systemd on this machine).
/// Root and rootless.
/// </summary>
[Trait("Category", "E2E")]
public sealed class SystemdServiceTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Sdnotify_conmon_sends_the_monitors_pid_and_ready(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        using var systemd = NotifySocket.Bind(skiff.Sandbox);
        skiff.Environment["NOTIFY_SOCKET"] = systemd.Path;
        (await skiff.RunAsync("run", "-d", "--name", "c", "--network", "none", "--sdnotify=conmon", image, "sleep", "600")).AssertSuccess();
        skiff.Environment.Remove("NOTIFY_SOCKET");

        string monitor = (await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}}", "c")).AssertSuccess().Stdout.Trim();
        Assert.Equal($"MAINPID={monitor}\nREADY=1", systemd.Receive());
        Assert.Equal(monitor, File.ReadAllText((await skiff.RunAsync("inspect", "--format", "{{.ConmonPidFile}}", "c")).AssertSuccess().Stdout.Trim()));
        Assert.Equal($"conmon {systemd.Path}", (await skiff.RunAsync("inspect", "--format", "{{.Config.SdNotifyMode}} {{.Config.SdNotifySocket}}", "c")).AssertSuccess().Stdout.Trim());
        // The socket is neither in the container nor passed to its environment.
        Assert.DoesNotContain("NOTIFY_SOCKET", (await skiff.RunAsync("exec", "c", "env")).AssertSuccess().Stdout, StringComparison.Ordinal);
        Assert.Equal(1, (await skiff.RunAsync("exec", "c", "test", "-e", "/run/notify")).ExitCode);

        // Each start tells systemd again, with the new monitor.
        (await skiff.RunAsync("stop", "-t", "0", "c")).AssertSuccess();
        (await skiff.RunAsync("start", "c")).AssertSuccess();
        string restarted = (await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}}", "c")).AssertSuccess().Stdout.Trim();
        Assert.Equal($"MAINPID={restarted}\nREADY=1", systemd.Receive());
    }

    [Theory, RootAndRootless]
    public async Task Sdnotify_container_passes_the_containers_ready_on(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        using var systemd = NotifySocket.Bind(skiff.Sandbox);
        skiff.Environment["NOTIFY_SOCKET"] = systemd.Path;
        // podman's default mode.
        string id = (await skiff.RunAsync("run", "-d", "--name", "c", "--network", "none", image,
            "sh", "-c", "echo \"$NOTIFY_SOCKET\"; test -S /run/notify/notify.sock && echo socket; sleep 600")).AssertSuccess().Stdout.Trim();
        skiff.Environment.Remove("NOTIFY_SOCKET");

        string monitor = (await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}} {{.Config.SdNotifyMode}}", "c")).AssertSuccess().Stdout.Trim();
        Assert.Equal($"MAINPID={monitor.Split(' ')[0]}", systemd.Receive());
        Assert.EndsWith(" container", monitor, StringComparison.Ordinal);
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "c")).Stdout.Contains("socket", StringComparison.Ordinal));
        Assert.Equal("/run/notify/notify.sock\nsocket\n", (await skiff.RunAsync("logs", "c")).AssertSuccess().Stdout);

        // What the container's process would send (busybox has no unix datagram client): to the monitor's socket, whose
        // directory the container has at /run/notify. A MAINPID of its own is dropped; READY=1 reaches systemd.
        string proxy = Path.Combine(skiff.Sandbox.RunRoot, "s", id[..16] + ".notify", "notify.sock");
        NotifySocket.Send(proxy, "MAINPID=1\nSTATUS=starting");
        Assert.Equal("STATUS=starting", systemd.Receive());
        NotifySocket.Send(proxy, "READY=1");
        Assert.Equal("READY=1", systemd.Receive());
        // Then the monitor closes it.
        await Poll.UntilAsync(() => !File.Exists(proxy));
    }

    [Theory, RootAndRootless]
    public async Task Sdnotify_ignore_and_no_socket_pass_nothing(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        using var systemd = NotifySocket.Bind(skiff.Sandbox);
        skiff.Environment["NOTIFY_SOCKET"] = systemd.Path;
        (await skiff.RunAsync("run", "-d", "--name", "ignored", "--network", "none", "--sdnotify", "ignore", image, "sleep", "600")).AssertSuccess();
        Assert.Equal(
            "ignore .",
            (await skiff.RunAsync("inspect", "--format", "{{.Config.SdNotifyMode}} {{.Config.SdNotifySocket}}.", "ignored")).AssertSuccess().Stdout.Trim());
        Assert.DoesNotContain("NOTIFY_SOCKET", (await skiff.RunAsync("exec", "ignored", "env")).AssertSuccess().Stdout, StringComparison.Ordinal);
        (await skiff.RunAsync("run", "--sdnotify=bogus", image, "true"))
            .AssertError(125, "Error: invalid config provided: invalid argument: invalid sdnotify value \"bogus\": must be container, conmon or ignore");
        skiff.Environment.Remove("NOTIFY_SOCKET");

        // Without NOTIFY_SOCKET nothing is sent, whatever the mode.
        (await skiff.RunAsync("run", "-d", "--name", "plain", "--network", "none", "--sdnotify=conmon", image, "sleep", "600")).AssertSuccess();
        Assert.Null(systemd.Receive(TimeSpan.FromSeconds(2)));
        Assert.Equal(string.Empty, (await skiff.RunAsync("ps", "-a", "--filter", "name=bogus", "-q")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task A_unit_for_an_existing_container_starts_and_stops_it(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        (await skiff.RunAsync("create", "--name", "web", "--network", "none", image, "sleep", "600")).AssertSuccess();
        string pidFile = (await skiff.RunAsync("inspect", "--format", "{{.ConmonPidFile}}", "web")).AssertSuccess().Stdout.Trim();
        string unit = (await skiff.RunAsync("generate", "systemd", "--name", "--no-header", "-t", "3", "web")).AssertSuccess().Stdout;
        Assert.StartsWith("# container-web.service\n\n[Unit]\nDescription=skiff container-web.service\n", unit, StringComparison.Ordinal);
        Assert.Contains($"TimeoutStopSec=63\nExecStart={skiff.Binary} start web\nExecStop={skiff.Binary} stop  \\\n\t-t 3 web\n", unit, StringComparison.Ordinal);
        Assert.Contains($"PIDFile={pidFile}\nType=forking\n", unit, StringComparison.Ordinal);

        // systemd runs ExecStart, then reads PIDFile once it has returned; ExecStop and ExecStopPost stop it.
        Unit commands = Unit.Parse(unit, "container-web.service", skiff.Sandbox.Work);
        (await skiff.RunAsync(commands.Start[1..])).AssertSuccess();
        Assert.Equal((await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}}", "web")).AssertSuccess().Stdout.Trim(), File.ReadAllText(pidFile));
        Assert.Equal("running", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "web")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync(commands.Stop[1..])).AssertSuccess();
        (await skiff.RunAsync(commands.StopPost[1..])).AssertSuccess();
        Assert.Equal("exited", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "web")).AssertSuccess().Stdout.Trim());

        // --files: container-web.service in the current directory, its path printed; JSON maps the unit's name.
        ProcessResult files = (await skiff.RunAsync("generate", "systemd", "--name", "--no-header", "-t", "3", "--files", "web")).AssertSuccess();
        string path = Path.Combine(skiff.Sandbox.Work, "container-web.service");
        Assert.Equal(path + "\n", files.Stdout);
        Assert.Equal(unit, File.ReadAllText(path));
        string json = (await skiff.RunAsync("generate", "systemd", "--name", "--format", "json", "web")).AssertSuccess().Stdout;
        Assert.StartsWith("{\n \"container-web\": \"# container-web.service\\n# autogenerated by skiff ", json, StringComparison.Ordinal);

        (await skiff.RunAsync("generate", "systemd", "--restart-policy", "bogus", "web")).AssertError(125, "Error: bogus is not a valid restart policy");
        (await skiff.RunAsync("generate", "systemd", "--format", "yaml", "web")).AssertError(125, "Error: unknown --format argument: yaml");
        (await skiff.RunAsync("generate", "systemd", "missing")).AssertError(125, "no container with name or ID \"missing\" found");
        (await skiff.RunAsync("generate", "systemd", "--stop-timeout", "-1", "missing"))
            .AssertError(125, "invalid argument \"-1\" for \"--stop-timeout\" flag: strconv.ParseUint: parsing \"-1\": invalid syntax");
        (await skiff.RunAsync("generate", "systemd", "--stop-timeout", "1", "-t", "2", "web")).AssertError(125, "stop-timeout and time are redundant and cannot be used together");
    }

    [Theory, RootAndRootless]
    public async Task A_new_unit_runs_notifies_stops_and_removes_the_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        (await skiff.RunAsync("create", "--name", "web", "--network", "none", "-e", "GREETING=hello world", image, "sh", "-c", "echo \"$GREETING\"; sleep 600")).AssertSuccess();
        string unit = (await skiff.RunAsync("generate", "systemd", "--new", "--name", "--no-header", "--stop-timeout", "2", "web")).AssertSuccess().Stdout;
        Assert.Contains("Type=notify\nNotifyAccess=all\n", unit, StringComparison.Ordinal);
        Assert.Contains(
            $" run \\\n\t--cidfile=%t/%n.ctr-id \\\n\t--cgroups=no-conmon \\\n\t--rm \\\n\t--sdnotify=conmon \\\n\t-d \\\n\t--replace \\\n\t--name web \\\n\t--network none \\\n\t-e \"GREETING=hello world\" {image} sh \\\n\t-c \"echo \\\"$$GREETING\\\"; sleep 600\"\n",
            unit,
            StringComparison.Ordinal);
        (await skiff.RunAsync("rm", "web")).AssertSuccess();

        Unit commands = Unit.Parse(unit, "container-web.service", skiff.Sandbox.Work);
        string idFile = Path.Combine(skiff.Sandbox.Work, "container-web.service.ctr-id");
        using var systemd = NotifySocket.Bind(skiff.Sandbox);
        for (int round = 0; round < 2; round++)
        {
            (await skiff.ExecAsync(commands.StartPre[0], commands.StartPre[1..])).AssertSuccess();
            Assert.False(File.Exists(idFile));
            skiff.Environment["NOTIFY_SOCKET"] = systemd.Path;
            (await skiff.ExecAsync(commands.Start[0], commands.Start[1..])).AssertSuccess();
            skiff.Environment.Remove("NOTIFY_SOCKET");
            string id = File.ReadAllText(idFile);
            string monitor = (await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}}", id)).AssertSuccess().Stdout.Trim();
            Assert.Equal($"MAINPID={monitor}\nREADY=1", systemd.Receive());
            await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "web")).Stdout == "hello world\n");
            Assert.Equal("running true", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.HostConfig.AutoRemove}}", "web")).AssertSuccess().Stdout.Trim());

            (await skiff.ExecAsync(commands.Stop[0], commands.Stop[1..])).AssertSuccess();
            (await skiff.ExecAsync(commands.StopPost[0], commands.StopPost[1..])).AssertSuccess();
            Assert.Equal(string.Empty, (await skiff.RunAsync("ps", "-aq")).AssertSuccess().Stdout);
            // As podman 4.3, rm leaves the id file; the next start's ExecStartPre removes it.
            Assert.True(File.Exists(idFile));
        }
    }

    /// <summary>The command lines of a generated unit, as systemd reads them, with %t and %n put in.</summary>
    private sealed record Unit(string[] StartPre, string[] Start, string[] Stop, string[] StopPost)
    {
        public static Unit Parse(string text, string name, string runtimeDirectory)
        {
            string joined = text.Replace("\\\n\t", " ", StringComparison.Ordinal);
            string[] Line(string key) =>
                joined.Split('\n').Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Select(l => Words(l[(key.Length + 1)..], name, runtimeDirectory)).SingleOrDefault() ?? [];
            return new Unit(Line("ExecStartPre"), Line("ExecStart"), Line("ExecStop"), Line("ExecStopPost"));
        }

        /// <summary>systemd.service(5)'s command line: words split at blanks, "quoted" with C escapes, %-specifiers and $$.</summary>
        private static string[] Words(string line, string name, string runtimeDirectory)
        {
            var words = new List<string>();
            var word = new StringBuilder();
            bool inWord = false, quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (c == '\\' && i + 1 < line.Length)
                {
                    word.Append(line[++i] switch { 'n' => '\n', 't' => '\t', char other => other });
                    inWord = true;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                    inWord = true;
                }
                else if (c == ' ' && !quoted)
                {
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                }
                else if (c == '%' && i + 1 < line.Length)
                {
                    word.Append(line[++i] switch { 't' => runtimeDirectory, 'n' => name, char other => other.ToString() });
                    inWord = true;
                }
                else if (c == '$' && i + 1 < line.Length && line[i + 1] == '$')
                {
                    word.Append('$');
                    i++;
                    inWord = true;
                }
                else
                {
                    word.Append(c);
                    inWord = true;
                }
            }

            if (inWord)
            {
                words.Add(word.ToString());
            }

            return [.. words];
        }
    }

    /// <summary>A unix datagram socket standing for systemd's notify socket, which skiff's user can reach.</summary>
    private sealed class NotifySocket : IDisposable
    {
        private readonly Socket socket;

        private NotifySocket(Socket socket, string path)
        {
            this.socket = socket;
            Path = path;
        }

        public string Path { get; }

        public static NotifySocket Bind(TestSandbox sandbox)
        {
            string path = System.IO.Path.Combine(sandbox.Path, "notify.sock");
            var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("777", 8));
            return new NotifySocket(socket, path);
        }

        public static void Send(string path, string message)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(message));
        }

        /// <summary>The next datagram, or null when none came in time.</summary>
        public string? Receive(TimeSpan? within = null)
        {
            socket.ReceiveTimeout = (int)(within ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
            byte[] buffer = new byte[4096];
            try
            {
                int length = socket.Receive(buffer);
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return null;
            }
        }

        public void Dispose()
        {
            socket.Dispose();
            File.Delete(Path);
        }
    }
}
